// The guest's slip: the print button (no inline script: the Content-Security-Policy forbids it).
(function () {
  var button = document.getElementById("print-slip");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
