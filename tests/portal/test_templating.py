"""A page's template context is let go when the page is drawn (portal.templating), not left
in a reference cycle for the garbage collector."""

import gc
import weakref

from django.template import engines
from django.template.loader import render_to_string


class Shown:
    def __str__(self) -> str:
        return "shown"


def freed_when_drawn(draw) -> bool:
    """Whether what a render was given is freed as soon as the render returns, with the
    garbage collector off."""
    gc.collect()
    gc.disable()
    try:
        shown = Shown()
        freed = weakref.ref(shown)
        draw(shown)
        del shown
        return freed() is None
    finally:
        gc.enable()


def test_a_page_drawn_with_its_request_frees_its_context_at_once(rf):
    # With a request, Django pushes the view's context onto a RequestContext: a ContextDict
    # referring back to it.
    request = rf.get("/")
    template = engines["django"].from_string("{% for x in things %}{{ x }}{% endfor %}")
    assert freed_when_drawn(lambda shown: template.render({"things": [shown]}, request))
    assert freed_when_drawn(
        lambda shown: render_to_string(
            "includes/shortlist_form.html", {"next": shown}, request=request
        )
    )


def test_the_stock_backend_leaves_it_to_the_garbage_collector(rf):
    # Why portal.templating exists: without it the same render keeps what it showed alive.
    from django.template.backends.django import Template

    request = rf.get("/")
    template = engines["django"].from_string("{{ thing }}")
    stock = Template(template.template, template.backend)
    assert not freed_when_drawn(lambda shown: stock.render({"thing": shown}, request))
