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
