// Conditional questions: a block with data-show-if="<option id>" shows only while that
// option is chosen. The server ignores answers to hidden questions either way.
(function () {
  var form = document.getElementById("survey-form");
  if (!form) return;
  function refresh() {
    var chosen = {};
    form.querySelectorAll("input[name$='_opt']:checked").forEach(function (i) { chosen[i.value] = true; });
    form.querySelectorAll("[data-show-if]").forEach(function (block) {
      block.hidden = !chosen[block.getAttribute("data-show-if")];
    });
  }
  form.addEventListener("change", refresh);
  refresh();
})();
