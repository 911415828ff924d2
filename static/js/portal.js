// Behaviour that used to sit in inline handlers (blocked by the Content-Security-Policy):
// <select data-autosubmit> submits its form on change; <form data-confirm="…"> asks first.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
