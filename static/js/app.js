// Small behaviour the pages share. No inline scripts: the Content Security Policy forbids them.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so screen readers announce it after a failed submit.
  const summary = document.getElementById("form-errors");
  if (summary) summary.focus();
});
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});

// After an in-place (htmx) form submission, move focus like a page load would: to the error summary if
// there is one, else to the status message, so screen readers announce the result.
document.addEventListener("htmx:afterSettle", () => {
  const target = document.getElementById("form-errors") || document.querySelector("main .messages .alert");
  if (target) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }
});

// A table wider than the screen scrolls sideways; keyboard users must be able to reach and scroll it
// (WCAG 2.1.1), so every table wrapper that may scroll is focusable.
function focusableScrollers() {
  document.querySelectorAll(".table-responsive:not([tabindex])").forEach((el) => el.setAttribute("tabindex", "0"));
}
document.addEventListener("DOMContentLoaded", focusableScrollers);
window.addEventListener("resize", focusableScrollers);
document.addEventListener("htmx:afterSettle", focusableScrollers);

// Filters are folded on a phone, where they would fill the first screen; from 768 px up they show open.
document.addEventListener("DOMContentLoaded", () => {
  if (window.matchMedia("(min-width: 768px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach((el) => { el.open = true; });
  }
});
