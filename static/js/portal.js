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
// the filters' form: its change must not reach htmx there, or ticking a row would refresh the
// results and lose the ticks.
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
