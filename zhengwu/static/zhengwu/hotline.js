// The call form: Enter in the caller's words saves the ticket (Shift+Enter starts a new line).
document.addEventListener("keydown", function (event) {
  var target = event.target;
  if (event.key !== "Enter" || event.shiftKey || event.isComposing || !target || target.tagName !== "TEXTAREA") return;
  var form = target.form;
  if (!form || !form.hasAttribute("data-enter-submits")) return;
  event.preventDefault();
  if (form.requestSubmit) form.requestSubmit(); else form.submit();
});
