// Progressive layer for the project list (the page works without it): htmx refreshes the
// results in place; this keeps the URL it pushes short, so a shared link holds only the
// filters in use.
document.addEventListener("htmx:configRequest", (event) => {
  const fields = event.detail.formData;
  for (const [name, value] of Array.from(fields.entries())) {
    if (value === "") {
      fields.delete(name);
    }
  }
});

// A row's "select" checkbox belongs to the interest form (its form attribute), yet sits inside
// the filters' form: its change must not reach the filters' form, or ticking a row would count
// it as a filter.
document.addEventListener(
  "change",
  (event) => {
    const control = event.target;
    if (control.form && control.form !== control.closest("form")) {
      event.stopPropagation();
    }
  },
  true,
);

const wide = window.matchMedia("(min-width: 60rem)");
const browse = document.getElementById("browse");
const drawer = document.getElementById("filters");

if (browse && drawer) {
  // At a desk the filters are a column beside the results, always open.
  const followWidth = () => {
    if (wide.matches) {
      drawer.open = true;
    }
  };
  followWidth();
  wide.addEventListener("change", followWidth);

  // While filters are chosen, the Apply button says how many projects they give. A select is
  // left out: arrowing through a closed one fires "change" at each step, and the sort does
  // not change the count anyway.
  const recount = (event) => {
    const control = event.target;
    if (control.tagName === "SELECT" || control.form !== browse || !window.htmx) {
      return;
    }
    window.htmx.trigger("#apply-label", "recount");
  };
  browse.addEventListener("change", recount);
  browse.addEventListener("input", (event) => {
    if (event.target.type === "search" || event.target.type === "number") {
      recount(event);
    }
  });

  // After a refresh: on a phone the drawer closes, and focus lands on the results heading.
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target.id !== "results") {
      return;
    }
    if (!wide.matches) {
      drawer.open = false;
    }
    const heading = document.getElementById("results-heading");
    if (heading) {
      heading.focus({ preventScroll: true });
      heading.scrollIntoView({ block: "start" });
    }
  });
}
