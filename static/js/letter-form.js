// Show on each letter form only what fits its direction, and only the kinds of that direction.
// The rules come from the direction select's data attributes (campaigns/forms.py, LetterForm);
// the server still checks every field, so this only guides.
"use strict";

(function () {
  const DIRECTION = "select[name$='-direction'][data-kinds]";

  // A field alone on its line is the whole row; one of several is its box's parent, which also
  // holds its errors and help text.
  function fieldBoxes(letter, name) {
    const boxes = Array.from(letter.querySelectorAll(".fieldBox.field-" + name));
    if (boxes.length) {
      return boxes.map(function (box) { return box.parentElement; });
    }
    return Array.from(letter.querySelectorAll(".form-row.field-" + name));
  }

  function holdsInput(box) {
    if (box.querySelector(".errorlist")) {
      return true;
    }
    return Array.from(box.querySelectorAll("input, select, textarea")).some(function (input) {
      if (input.type === "hidden" || input.type === "checkbox") {
        return false;
      }
      if (input.tagName === "SELECT") {
        return Array.from(input.selectedOptions).some(function (option) { return option.value; });
      }
      return input.value !== "";
    });
  }

  function showKinds(letter, kinds) {
    const select = letter.querySelector("select[name$='-kind']");
    if (!select) {
      return;
    }
    if (!select.allKinds) {
      select.allKinds = Array.from(select.options).map(function (option) {
        return option.cloneNode(true);
      });
    }
    const chosen = select.value;
    select.replaceChildren();
    select.allKinds.forEach(function (option) {
      if (!option.value || !kinds || kinds.includes(option.value)) {
        select.appendChild(option.cloneNode(true));
      }
    });
    select.value = Array.from(select.options).some(function (o) { return o.value === chosen; })
      ? chosen
      : "";
  }

  function fitLetter(direction) {
    const letter = direction.closest(".inline-related");
    if (!letter) {
      return;
    }
    const kinds = JSON.parse(direction.dataset.kinds);
    const onlyFields = JSON.parse(direction.dataset.onlyFields);
    Object.keys(onlyFields).forEach(function (fieldsDirection) {
      const hide = direction.value !== "" && direction.value !== fieldsDirection;
      onlyFields[fieldsDirection].forEach(function (name) {
        fieldBoxes(letter, name).forEach(function (box) {
          // Never hide what the campaigner typed or an error about it.
          box.hidden = hide && !holdsInput(box);
        });
      });
    });
    showKinds(letter, kinds[direction.value]);
  }

  function fitAll(root) {
    root.querySelectorAll(DIRECTION).forEach(fitLetter);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches(DIRECTION)) {
      fitLetter(event.target);
    }
  });
  document.addEventListener("formset:added", function (event) {
    fitAll(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { fitAll(document); });
  } else {
    fitAll(document);
  }
})();
