/* The leaderboard's search syntax, the same rules as scripts/leaderboard/table/search.py (both
 * are tested against tests/site/search_cases.json). Terms are separated by ";". A plain term is a
 * case-insensitive substring of the model's name or a former name (OR-ed); a "Hub License:" term
 * a substring of the license (OR-ed); with both kinds, a row must match one of each. */
(function (root) {
  "use strict";
  var PREFIX = "hub license:";

  function parse(text) {
    var names = [], licenses = [];
    String(text || "").split(";").forEach(function (raw) {
      var term = raw.trim();
      if (term.toLowerCase().indexOf(PREFIX) === 0) {
        var value = term.slice(PREFIX.length).trim().toLowerCase();
        if (value) licenses.push(value);
      } else if (term) {
        names.push(term.toLowerCase());
      }
    });
    return { names: names, licenses: licenses, empty: !names.length && !licenses.length };
  }

  /* names: lower-cased names of the row; license: lower-cased license ("" when none). */
  function matchesLower(query, names, license) {
    var i, j;
    if (query.names.length) {
      var hit = false;
      for (i = 0; i < query.names.length && !hit; i++) {
        for (j = 0; j < names.length; j++) {
          if (names[j].indexOf(query.names[i]) !== -1) { hit = true; break; }
        }
      }
      if (!hit) return false;
    }
    if (query.licenses.length) {
      for (i = 0; i < query.licenses.length; i++) {
        if (license.indexOf(query.licenses[i]) !== -1) return true;
      }
      return false;
    }
    return true;
  }

  function matches(query, names, license) {
    return matchesLower(
      query,
      names.map(function (n) { return String(n).toLowerCase(); }),
      String(license || "").toLowerCase()
    );
  }

  root.LBSearch = { parse: parse, matches: matches, matchesLower: matchesLower };
})(window);
