// Quote and claim forms. Everything here is a shortcut: without JavaScript the prediction
// fields stay shown (described as for predictions only) and the passage is copied by hand.
(function () {
  "use strict";

  function togglePredictionFields() {
    var kind = document.getElementById("id_kind");
    var fieldset = document.querySelector("fieldset.prediction-fields");
    if (!kind || !fieldset) {
      return;
    }
    var update = function () {
      // A refused save's errors stay in sight whatever the kind.
      fieldset.hidden = kind.value !== "prediction" && !fieldset.querySelector(".errorlist");
    };
    kind.addEventListener("change", update);
    update();
  }

  function offerSelection() {
    var panel = document.getElementById("article-text");
    var passage = document.getElementById("id_anchor_exact");
    if (!panel || !passage) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = "Use selection as the passage";
    button.addEventListener("click", function () {
      var selection = window.getSelection();
      var text = selection ? selection.toString().trim() : "";
      if (text && panel.contains(selection.anchorNode)) {
        passage.value = text;
        passage.focus();
      }
    });
    panel.insertAdjacentElement("afterend", button);
  }

  document.addEventListener("DOMContentLoaded", function () {
    togglePredictionFields();
    offerSelection();
  });
})();
