"""Set a document in HTML/CSS and print it with WeasyPrint (Pango/HarfBuzz glyphs)."""

from __future__ import annotations

import html
from pathlib import Path

from tests.typesetting.document import SUPERSCRIPT_DIGITS, Document, Element, Span, arrange
from tests.typesetting.styles import PAGES_MM, Style

_PLAIN_DIGITS = str.maketrans(SUPERSCRIPT_DIGITS, "1234567890")


def smallcaps(text: str) -> str:
    """Small capitals drawn as capitals at two sizes (fonts here have no smcp feature)."""
    out, buf, small = [], [], None

    def flush():
        if buf:
            chunk = html.escape("".join(buf))
            out.append(f'<span class="sc">{chunk}</span>' if small else chunk)
            buf.clear()

    for char in text:
        is_small = char.islower()
        if is_small != small:
            flush()
            small = is_small
        buf.append(char.upper())
    flush()
    return "".join(out)


def _span(span: Span, style: Style, notes: list[Element]) -> str:
    if span.sup:
        note = next((n for n in notes if n.spans[0].text == span.text), None)
        mark = span.text
        if style.footnote_marker == "raised" or not any(c in SUPERSCRIPT_DIGITS for c in mark):
            mark = mark.translate(_PLAIN_DIGITS)
            if note is not None:
                body = _spans(note.spans[1:], style, [])
                return f'<span class="fn" data-mark="{html.escape(mark)}">{body.strip()}</span>'
            return f"<sup>{html.escape(mark)}</sup>"
        if note is not None:
            body = _spans(note.spans[1:], style, [])
            return f'{html.escape(mark)}<span class="fn uni" data-mark="{mark}">{body}</span>'
        return html.escape(mark)
    text = html.escape(span.text)
    if span.italic:
        text = f"<em>{text}</em>"
    if span.bold:
        text = f"<strong>{text}</strong>"
    return text


def _spans(spans: list[Span], style: Style, notes: list[Element]) -> str:
    return "".join(_span(s, style, notes) for s in spans)


def _inline(element: Element, style: Style) -> str:
    return _spans(element.spans, style, element.footnotes)


def _label(element: Element, style: Style) -> str:
    text = element.label + (":" if style.label_colon else "")
    text = {"upper": text.upper(), "lower": text.lower()}.get(style.label_case, text)
    body = smallcaps(text) if style.label_style == "small-caps" else html.escape(text)
    if style.label_style == "italic":
        body = f"<em>{body}</em>"
    if style.label_weight == "bold":
        body = f"<strong>{body}</strong>"
    return body


def _fields(rows: list[Element], style: Style) -> str:
    container = style.label_container
    if container == "runin":
        return "".join(f'<p class="runin">{_label(r, style)} {_inline(r, style)}</p>' for r in rows)
    if container == "tabs":
        return "".join(
            f'<p class="tabrow"><span class="lab">{_label(r, style)}</span>'
            f"<span>{_inline(r, style)}</span></p>"
            for r in rows
        )
    cells = "".join(
        f'<tr><th class="lab">{_label(r, style)}</th><td>{_inline(r, style)}</td></tr>'
        for r in rows
    )
    return f'<table class="fields {container}">{cells}</table>'


def _toc_entry(element: Element, style: Style) -> str:
    title = _inline(element, style)
    href = f' href="#{element.target}"' if element.target else ""
    page = str(element.page_ref)
    klass = f"toc leader-{style.leader}"
    if element.target:
        return f'<p class="{klass}"><a{href}>{title}</a></p>'
    return f'<p class="{klass}"><a>{title}</a><span class="pg">{page}</span></p>'


def body_html(document: Document, style: Style) -> str:
    elements = arrange(document, contents=style.contents)
    if document.kind == "report":
        return _report_body(elements, style)
    out: list[str] = []
    i = 0
    cover = True
    in_description = False

    def close_description():
        nonlocal in_description
        if in_description:
            out.append("</div>")
            in_description = False

    while i < len(elements):
        element = elements[i]
        role = element.role
        if cover and role in ("toc_heading", "section", "main_toc_entry"):
            cover = False
            out.append('<div class="after-cover"></div>')
        if role == "field":
            close_description()
            rows = []
            while i < len(elements) and elements[i].role == "field":
                rows.append(elements[i])
                i += 1
            out.append(_fields(rows, style))
            if style.columns == 2:
                out.append('<div class="description">')
                in_description = True
            continue
        if role in ("section", "project", "subregion", "toc_heading") or (role == "example_title"):
            close_description()
        anchor = f' id="{element.anchor}"' if element.anchor else ""
        text = _inline(element, style)
        if role == "section":
            out.append(f'<h1{anchor} class="section">{text}</h1>')
        elif role == "project":
            out.append(f'<h2{anchor} class="project">{text}</h2>')
        elif role == "example_title":
            out.append(f'<h3{anchor} class="example">{text}</h3>')
        elif role == "subregion":
            out.append(f'<h2 class="subregion">{text}</h2>')
        elif role == "toc_heading":
            out.append(f'<h1 class="contents">{text}</h1>')
        elif role in ("main_toc_entry", "toc_entry"):
            out.append(_toc_entry(element, style))
        elif role == "toc_sub":
            out.append(f'<p class="tocsub">{text}</p>')
        elif role == "item" and style.native_lists:
            out.append(f'<ul class="depth{element.depth}"><li>{text}</li></ul>')
        elif role == "item":
            out.append(
                f'<p class="item depth{element.depth}"><span class="bullet">'
                f"{html.escape(style.bullet)}</span>{text}</p>"
            )
        elif role == "footnote":
            out.append(f'<p class="footnote">{text}</p>')
        else:
            klass = "cover" if cover else "para"
            out.append(f'<p class="{klass}">{text}</p>')
        i += 1
    close_description()
    return "\n".join(out)


def _report_body(elements: list[Element], style: Style) -> str:
    out: list[str] = []
    for element in elements:
        text = _inline(element, style)
        number = html.escape(element.number)
        if element.role in ("front", "front_body", "front_subject", "title"):
            out.append(f'<p class="front {element.role}">{text}</p>')
        elif element.role == "heading":
            title = text
            if style.report_heading == "small-caps":
                title = smallcaps(element.text)
            out.append(
                f'<h{element.level} class="rh {style.report_heading}">'
                f'<span class="num">{number}</span>{title}</h{element.level}>'
            )
        elif element.role == "numbered":
            out.append(f'<p class="numbered"><span class="num">{number}</span>{text}</p>')
        elif element.role == "subitem":
            out.append(f'<p class="subitem"><span class="num">{number}</span>{text}</p>')
        elif element.role == "footnote":
            out.append(f'<p class="footnote">{text}</p>')
        else:
            out.append(f'<p class="para">{text}</p>')
    return "\n".join(out)


def _margin_boxes(document: Document, style: Style) -> str:
    """@page rules: running head, footer, page number (outside = left on even pages)."""
    number = style.page_number
    if number:
        parts = []
        for piece in number.replace("{total}", "\0T").replace("{n}", "\0N").split("\0"):
            if piece.startswith("N"):
                parts.append("counter(page)")
                piece = piece[1:]
            elif piece.startswith("T"):
                parts.append("counter(pages)")
                piece = piece[1:]
            if piece:
                parts.append(f'"{piece}"')
        number_content = " ".join(parts)
    else:
        number_content = ""
    head, foot = style.running_head, style.running_foot
    head = f'"{head}"' if head else ""
    foot = f'"{foot}"' if foot else ""
    if style.section_head and document.kind == "brochure":
        head = "string(section)"
    if document.kind == "report":
        head = f'"{style.report_symbol}"' if style.report_symbol else ""
        foot = f'"{document.job_number}"' if style.job_in_footer else ""

    def rules(side: str) -> str:
        boxes: dict[str, str] = {}
        where = "top" if style.page_number_at == "header" else "bottom"
        align = style.page_number_align
        if align == "outside":
            align = "left" if side == "left" else "right"
        text_align = "right" if align == "left" else "left"
        if align == "center":
            text_align = "left"
        if head:
            boxes[f"top-{text_align if where == 'top' else 'center'}"] = head
        if foot:
            boxes[f"bottom-{text_align if where == 'bottom' else 'center'}"] = foot
        if number_content:
            box = f"{where}-{align}"
            boxes[box] = (boxes[box] + ' "  " ' if box in boxes else "") + number_content
        return "".join(f"@{box} {{ content: {content}; }}" for box, content in boxes.items())

    return f"@page :left {{ {rules('left')} }} @page :right {{ {rules('right')} }}"


def css(document: Document, style: Style) -> str:
    width, height = PAGES_MM[style.page]
    size = style.font_size
    leader = {
        "dots": "leader('.')",
        "middots": "leader(' · ')",
        "spaces": "'   '",
        "tab": "leader(' ')",
        "ellipsis": "' … '",
        "none": "' '",
    }[style.leader]
    heading_weight = "bold" if style.heading_weight == "bold" else "normal"
    align = "justify" if style.justify else "left"
    label_align = style.label_align
    hanging = style.para_numbers == "hanging"
    margins = " ".join(
        f"{mm}mm"
        for mm in (style.margin_top, style.margin_outer, style.margin_bottom, style.margin_inner)
    )
    report_weight = "bold" if style.report_heading == "bold" else "normal"
    numbered = "text-indent: -12mm;" if hanging else "text-indent: 0;"
    subitem = "padding-left: 10mm; text-indent: " + ("-22mm;" if hanging else "-10mm;")
    call = "vertical-align: super; font-size: 0.7em; line-height: 0;"
    return f"""
@page {{
  size: {width}mm {height}mm;
  margin: {margins};
  font-family: "{style.font_family}"; font-size: {max(size - 1.5, 7)}pt;
}}
@page :left {{ margin-left: {style.margin_outer}mm; margin-right: {style.margin_inner}mm; }}
{_margin_boxes(document, style)}
html {{ font-family: "{style.font_family}"; font-size: {size}pt;
  line-height: {style.line_height}; }}
body {{ margin: 0; }}
p {{ margin: 0 0 {0.5 * style.line_height:.2f}em 0; text-align: {align}; orphans: 2; widows: 2; }}
h1, h2, h3, h4 {{ font-family: "{style.heading_font_family}"; break-after: avoid; }}
h1.section {{ font-size: {style.heading_scale:.2f}em; font-weight: {heading_weight};
  text-transform: {"uppercase" if style.heading_case == "upper" else "none"};
  margin: 1.2em 0 0.8em; {"break-before: page;" if style.break_before_section else ""} }}
h1.contents {{ font-size: {style.heading_scale:.2f}em; break-before: page; }}
.after-cover + * {{ break-before: page; }}
h2.project {{ font-size: {style.title_scale:.2f}em;
  font-weight: {"bold" if style.title_weight == "bold" else "normal"};
  margin: 1em 0 0.6em; {"break-before: page;" if style.break_before_project else ""} }}
h2.subregion {{ font-size: {max(style.heading_scale * 0.85, 1.05):.2f}em; font-style: italic;
  font-weight: normal; margin: 1em 0 0.5em; }}
h3.example {{ font-size: 1em; font-weight: bold; margin: 0.8em 0 0.4em; }}
p.cover {{ text-align: center; }}
p.cover:nth-of-type(2), p.cover:nth-of-type(3) {{ font-size: 1.8em; font-weight: bold; }}
p.toc {{ text-align: left; margin: 0 0 0.2em; }}
p.toc a {{ color: inherit; text-decoration: none; }}
p.toc a[href]::after {{ content: {leader} target-counter(attr(href url), page); }}
p.toc .pg::before {{ content: {leader}; }}
p.tocsub {{ font-style: italic; margin: 0.4em 0 0.2em; text-align: left; }}
p.item {{ padding-left: {1.2}em; text-indent: -1.2em; text-align: left; margin-bottom: 0.2em; }}
p.item.depth1 {{ padding-left: 2.4em; }}
p.item .bullet {{ display: inline-block; width: 1.2em; text-indent: 0; }}
ul {{ margin: 0 0 0.2em; padding-left: 1.4em; list-style-type: disc; }}
ul.depth1 {{ padding-left: 2.8em; list-style-type: circle; }}
h1.section {{ string-set: section content(); }}
p, li {{ hyphens: {"auto" if style.hyphenate else "manual"}; }}
p.footnote {{ font-size: 0.8em; }}
.fn {{ float: footnote; font-size: 0.8em; text-align: left; }}
.fn::footnote-call {{ content: attr(data-mark); {call} }}
.fn::footnote-marker {{ content: attr(data-mark) " "; {call} }}
.fn.uni::footnote-call {{ content: none; }}
.fn.uni::footnote-marker {{ content: attr(data-mark) " "; vertical-align: baseline; }}
sup {{ font-size: 0.7em; vertical-align: super; line-height: 0; }}
.sc {{ font-size: 0.8em; }}
table.fields {{ border-collapse: collapse; width: 100%; margin: 0.4em 0 0.8em; }}
table.fields th, table.fields td {{ vertical-align: top; padding: 0.15em 0.4em; text-align: left; }}
table.fields th {{ width: 28%; text-align: {label_align}; font-weight: normal; }}
table.fields.bordered th, table.fields.bordered td {{ border: 0.6pt solid #444; }}
table.fields.shaded th {{ background: #d9d9d9; }}
table.fields.shaded td {{ background: #f0f0f0; border-bottom: 1pt solid white; }}
p.runin {{ margin: 0 0 0.25em; text-align: left; }}
p.tabrow {{ display: flex; margin: 0 0 0.25em; text-align: left; }}
p.tabrow .lab {{ flex: 0 0 9em; padding-right: 0.6em; text-align: {label_align}; }}
p.tabrow span + span {{ flex: 1; }}
.description {{ column-count: 2; column-gap: 6mm; }}
p.front {{ text-align: left; }}
p.front_body {{ font-size: 1.3em; font-weight: bold; }}
p.front_subject {{ font-weight: bold; margin: 0; }}
p.title {{ font-size: 1.25em; font-weight: bold; margin: 1.5em 0 1em; }}
h1.rh, h2.rh, h3.rh {{ font-size: 1em; font-weight: {report_weight};
  margin: 1em 0 0.5em; {"margin-left: -12mm;" if hanging else ""} }}
h1.rh {{ font-size: 1.15em; }}
.rh .num {{ display: inline-block; width: 12mm; }}
p.numbered {{ {numbered} }}
p.numbered .num {{ display: inline-block; width: 12mm; text-indent: 0; }}
p.subitem {{ {subitem} }}
p.subitem .num {{ display: inline-block; width: 10mm; text-indent: 0; }}
"""


def render_html(document: Document, style: Style) -> str:
    return (
        '<!doctype html><html lang="en-US"><head><meta charset="utf-8">'
        f"<style>{css(document, style)}</style></head><body>"
        f"{body_html(document, style)}</body></html>"
    )


def render_pdf(document: Document, style: Style, target: Path) -> Path:
    from weasyprint import HTML

    HTML(string=render_html(document, style)).write_pdf(target)
    return target
