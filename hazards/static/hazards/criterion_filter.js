// Log-a-hazard form: offer only the judgement-standard clauses of the hazard's sector (the
// chosen sector, else the enterprise's first sector). The options are grouped by sector name
// (<optgroup>); the server checks the clause again.
(function () {
  "use strict";
  var criterion = document.getElementById("id_criterion");
  var enterprise = document.getElementById("id_enterprise");
  var sector = document.getElementById("id_sector");
  if (!criterion || !enterprise) return;
  var firstSector = JSON.parse(document.getElementById("enterprise-sectors").textContent);
  var sectorNames = JSON.parse(document.getElementById("sector-names").textContent);

  function currentSector() {
    if (sector && sector.value) return sectorNames[sector.value] || "";
    return firstSector[enterprise.value] || "";
  }

  function filter() {
    var name = currentSector();
    var groups = criterion.querySelectorAll("optgroup");
    groups.forEach(function (group) {
      var show = !name || group.label === name;
      group.hidden = !show;
      group.disabled = !show;
    });
    var chosen = criterion.selectedOptions[0];
    if (chosen && chosen.parentElement.tagName === "OPTGROUP" && chosen.parentElement.disabled) {
      // the same clause may be offered under the new sector too
      var same = criterion.querySelector("optgroup:not([disabled]) option[value='" +
                                         chosen.value + "']");
      if (same) { same.selected = true; } else { criterion.value = ""; }
    }
  }

  enterprise.addEventListener("change", filter);
  if (sector) sector.addEventListener("change", filter);
  filter();
})();
