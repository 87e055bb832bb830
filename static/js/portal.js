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
