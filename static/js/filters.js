// The status table's filters sit in a <details> element: behind their "Filters" toggle on a
// phone, so that the table is what one sees first, and open on a wide screen. CSS opens them
// there where the browser can style a closed <details>; this opens them everywhere else.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.getElementById("filter-panel");
  if (panel && window.matchMedia("(min-width: 768px)").matches) {
    panel.open = true;
  }
});
