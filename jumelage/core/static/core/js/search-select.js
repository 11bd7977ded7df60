// A search box above each long list marked data-search-select: typing a word of a label or a
// code keeps the matching options only (accents and case ignored). The list stays a plain
// select: without this script it works as one. Loaded by the workspace's frame.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function enhance(select) {
    if (select.dataset.searchReady) return;
    select.dataset.searchReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.id = select.id + "-search";
    box.className = "search-select__box";
    box.setAttribute("aria-controls", select.id);
    box.setAttribute("autocomplete", "off");
    var label = document.createElement("label");
    label.htmlFor = box.id;
    label.className = "search-select__label";
    label.textContent = select.dataset.searchLabel || "Search";
    var wrapper = document.createElement("div");
    wrapper.className = "search-select";
    wrapper.appendChild(label);
    wrapper.appendChild(box);
    select.parentNode.insertBefore(wrapper, select);
    box.addEventListener("input", function () {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(select.options, function (option) {
        var text = fold(option.text + " " + option.value);
        option.hidden = option.value !== "" && !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
      });
    });
  }
  function enhanceAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll("select[data-search-select]"), enhance);
  }
  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target); });
})();
