"""The OpenAPI 3 description of the read-only JSON API (served at /api/schema/)."""

from projects.filters import HAS_ISSUE_CHOICES, SORT_CHOICES
from projects.models import FundingStatus, ProjectFocalPoint, Region
from projects.numbers import AMOUNT_PATTERN, MAX_ID

MAX_PAGE_SIZE = 100
MAX_PAGE = 10**6

MONEY = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "example": "4475605.00"}
NULLABLE_MONEY = {**MONEY, "nullable": True}
NULLABLE_STRING = {"type": "string", "nullable": True}
# Django refuses NUL characters in form input; the schema says so rather than answer 400.
TEXT = {"type": "string", "maxLength": 200, "pattern": "^[^\\x00]*$"}
# Amounts in a query string, as projects/numbers.py reads them (no exponent, no sign).
AMOUNT_QUERY = {"type": "string", "pattern": AMOUNT_PATTERN, "example": "250000"}
SLUG = {"type": "string", "maxLength": 120, "pattern": "^[-a-zA-Z0-9_]*$"}


def query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def many(name: str, item: dict, description: str) -> dict:
    """A facet taking several values, repeated: `?country=SEN&country=MLI` (any of them)."""
    return {
        **query(name, {"type": "array", "items": item, "maxItems": 100}, description),
        "style": "form",
        "explode": True,
    }


def ok(schema_ref: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}},
    }


ERROR = {
    "description": "The request cannot be answered; `error` says why.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}

PROJECT_FILTERS = [
    query(
        "q",
        TEXT,
        "Words that must all appear in the title, code, description, a country or a donor name.",
    ),
    many("section", SLUG, "Section slugs (any of them)."),
    many("subregion", SLUG, "Subregion slugs (any of them)."),
    many(
        "country",
        {"type": "string", "pattern": "^[A-Za-z]{0,3}$"},
        "ISO 3166 alpha-3 codes (any of them).",
    ),
    many("theme", {**SLUG, "maxLength": 40}, "Theme slugs (any of them)."),
    many("status", {"type": "string", "enum": FundingStatus.values}, "Funding statuses."),
    many("donor", SLUG, "Donor slugs (any of them)."),
    many(
        "focal_point",
        {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        "Focal point ids (any of them).",
    ),
    query(
        "min_shortfall",
        AMOUNT_QUERY,
        "Computed shortfall at least (US$): digits 0–9, at most two decimals.",
    ),
    query(
        "max_shortfall",
        AMOUNT_QUERY,
        "Computed shortfall at most (US$): digits 0–9, at most two decimals.",
    ),
    query(
        "has_issue",
        {"type": "string", "enum": [v for v, _ in HAS_ISSUE_CHOICES]},
        "Projects with (yes) or without (no) data issues.",
    ),
    query("sort", {"type": "string", "enum": [v for v, _ in SORT_CHOICES]}, "Order."),
    query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page number."),
    query(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        "Projects per page.",
    ),
]

SOURCE = {
    "type": "object",
    "nullable": True,
    "required": ["title", "edition", "page", "paragraph"],
    "properties": {
        "title": {"type": "string"},
        "edition": {"type": "string", "example": "2010-01"},
        "page": {"type": "integer", "nullable": True},
        "paragraph": {"type": "integer", "nullable": True},
    },
}

PROJECT_SUMMARY_PROPERTIES = {
    "slug": {"type": "string"},
    "url": {"type": "string", "format": "uri"},
    "title": {"type": "string"},
    "code": NULLABLE_STRING,
    "section": {"type": "string"},
    "subregion": NULLABLE_STRING,
    "countries": {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]{3}$"}},
    "themes": {"type": "array", "items": {"type": "string"}},
    "budget": NULLABLE_MONEY,
    "pledged": MONEY,
    "stated_shortfall": NULLABLE_MONEY,
    "computed_shortfall": NULLABLE_MONEY,
    "percent_funded": NULLABLE_MONEY,
    "funding_status": {"type": "string", "enum": FundingStatus.values},
    "has_data_issues": {"type": "boolean"},
    "source": SOURCE,
}

SCHEMA = {
    "openapi": "3.0.3",
    "info": {
        "title": "UNODC Partnership Opportunities API",
        "version": "1.0",
        "description": "Read-only. Amounts are US$ as decimal strings, exactly as computed "
        "by the portal; absent values are null.",
    },
    "paths": {
        "/api/projects/": {
            "get": {
                "summary": "Published projects, filtered as on the project list, with totals.",
                "operationId": "listProjects",
                "parameters": PROJECT_FILTERS,
                "responses": {
                    "200": ok("ProjectPage", "A page of projects."),
                    "400": ERROR,
                    "404": ERROR,
                },
            }
        },
        "/api/projects/{slug}/": {
            "get": {
                "summary": "One published project with its pledges, phases and focal points.",
                "operationId": "getProject",
                "parameters": [
                    {
                        "name": "slug",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
                    }
                ],
                "responses": {"200": ok("Project", "The project."), "404": ERROR},
            }
        },
        "/api/regions/": {
            "get": {
                "summary": "Sections and subregions with their totals.",
                "operationId": "listRegions",
                "responses": {
                    "200": {
                        "description": "Every region.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Region"},
                                }
                            }
                        },
                    }
                },
            }
        },
        "/api/donors/": {
            "get": {
                "summary": "Donors with what they pledged to published projects.",
                "operationId": "listDonors",
                "responses": {
                    "200": {
                        "description": "Every donor.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Donor"},
                                }
                            }
                        },
                    }
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}, "fields": {"type": "object"}},
            },
            "Totals": {
                "type": "object",
                "required": ["budget", "pledged", "shortfall", "percent_funded"],
                "properties": {
                    "budget": MONEY,
                    "pledged": MONEY,
                    "shortfall": MONEY,
                    "pledged_unbudgeted": MONEY,
                    "percent_funded": NULLABLE_MONEY,
                },
            },
            "ProjectSummary": {
                "type": "object",
                "required": list(PROJECT_SUMMARY_PROPERTIES),
                "properties": PROJECT_SUMMARY_PROPERTIES,
            },
            "ProjectPage": {
                "type": "object",
                "required": ["count", "page", "pages", "totals", "results"],
                "properties": {
                    "count": {"type": "integer", "minimum": 0},
                    "page": {"type": "integer", "minimum": 1},
                    "pages": {"type": "integer", "minimum": 1},
                    "totals": {"$ref": "#/components/schemas/Totals"},
                    "results": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/ProjectSummary"},
                    },
                },
            },
            "Project": {
                "allOf": [
                    {"$ref": "#/components/schemas/ProjectSummary"},
                    {
                        "type": "object",
                        "required": [
                            "description_html",
                            "pledges",
                            "phases",
                            "focal_points",
                            "examples",
                            "data_issues",
                        ],
                        "properties": {
                            "description_html": {"type": "string"},
                            "parent": NULLABLE_STRING,
                            "pledges": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "donor": NULLABLE_STRING,
                                        "donor_slug": NULLABLE_STRING,
                                        "amount": MONEY,
                                        "note": NULLABLE_STRING,
                                    },
                                },
                            },
                            "phases": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "label": {"type": "string"},
                                        "period": {"type": "string"},
                                        "amount": NULLABLE_MONEY,
                                    },
                                },
                            },
                            "focal_points": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "role": {
                                            "type": "string",
                                            "enum": ProjectFocalPoint.Role.values,
                                        },
                                        "name": {"type": "string"},
                                        "email": NULLABLE_STRING,
                                    },
                                },
                            },
                            "examples": {"type": "array", "items": {"type": "object"}},
                            "data_issues": {"type": "array", "items": {"type": "object"}},
                        },
                    },
                ]
            },
            "Region": {
                "type": "object",
                "required": ["slug", "name", "kind", "parent", "projects"],
                "properties": {
                    "slug": {"type": "string"},
                    "name": {"type": "string"},
                    "kind": {"type": "string", "enum": Region.Kind.values},
                    "parent": NULLABLE_STRING,
                    "projects": {"type": "integer", "minimum": 0},
                    "budget": NULLABLE_MONEY,
                    "pledged": NULLABLE_MONEY,
                    "shortfall": NULLABLE_MONEY,
                },
            },
            "Donor": {
                "type": "object",
                "required": ["slug", "name", "kind", "pledged", "projects"],
                "properties": {
                    "slug": {"type": "string"},
                    "name": {"type": "string"},
                    "kind": {"type": "string"},
                    "country": NULLABLE_STRING,
                    "pledged": NULLABLE_MONEY,
                    "projects": {"type": "integer", "minimum": 0},
                },
            },
        }
    },
}
