// The handbook's additions to the search worker of Material for MkDocs.
//
// handbook/web/search_worker.py writes this file after Material's own worker, as one script, and points
// the site's search at it. Material's worker builds a lunr index of every section and answers the
// queries the page sends; this part changes how a query's words are matched and how results are
// ordered:
//
// - Typing mistakes. A query word of 5 or more letters also matches the index's words within one
//   edit (a letter added, missing or wrong, or two neighbouring letters swapped), and a word of 9 or
//   more letters within two. lunr finds the candidates (its edit-distance token sets); the likeliest
//   correction (fewest edits, then the word the handbook uses most) counts for most.
// - Words written apart or together. "co-ordinator" or "e mail" find "coordinator" and "email";
//   "stepdown" finds "step down".
// - Short words. Material makes every word a prefix ("of" finds "offer" and "Ofsted"); a common
//   word such as "of" or "the" is dropped unless it is the word still being typed.
// - Order. Practitioners' pages come before the editors' pages (those the index boosts below 1),
//   then results that match more of the query's words, then those with fewer and likelier typing
//   corrections, and only then Material's own score. So an exact or prefix match always ranks
//   above a fuzzy one, and a section whose heading has the word (lunr boosts titles) above one
//   that only mentions it.
//
// A word found only through a correction is marked as found, under the word the section has, so
// the result neither says the typed word is missing nor highlights nothing on the page it opens.
//
// Written for lunr 2.3 as Material bundles it. search_worker.py refuses to build if Material's
// worker no longer exposes lunr, and the browser tests type real queries into the built site.
(function (scope) {
  "use strict";

  var lunr = scope.lunr;
  if (!lunr || !lunr.Index || !lunr.TokenSet || !lunr.QueryParser) {
    throw new Error("handbook search: Material's search worker no longer exposes lunr");
  }

  // Material's message types (integrations/search/worker/message): SETUP 0, QUERY 2, RESULT 3.
  var SETUP = 0;
  var RESULT = 3;
  // [letters at least, edits allowed], longest first.
  var FUZZY = [[9, 2], [5, 1]];
  // A correction adds little to a section's score: the order above already puts such sections
  // after exact ones, and among themselves they keep lunr's order.
  var FUZZY_BOOST = 0.1;
  // A word split in two ("stepdown") must leave two real words of at least this many letters.
  var SPLIT_MIN = 2;
  var PRESENCE = lunr.Query.presence;

  var demoted = Object.create(null);  // page path -> true, for pages boosted below 1
  var ranking = Object.create(null);  // location -> {matched, typos, shown}, for the last search

  function pagePath(location) {
    return location.split("#")[0];
  }

  function editsAllowed(word) {
    var letters = Array.from(word).length;
    for (var i = 0; i < FUZZY.length; i++) {
      if (letters >= FUZZY[i][0]) return FUZZY[i][1];
    }
    return 0;
  }

  function isCommonWord(word) {
    return lunr.stopWordFilter(word) === undefined;
  }

  function indexed(index, term) {
    return Object.prototype.hasOwnProperty.call(index.invertedIndex, term);
  }

  // Damerau-Levenshtein distance (optimal string alignment: an added, missing or wrong letter, or
  // two neighbouring letters swapped, each count one), to put lunr's candidates in order.
  function distance(a, b) {
    var rows = [];
    for (var i = 0; i <= a.length; i++) {
      rows.push([i]);
      for (var j = 1; j <= b.length; j++) {
        if (i === 0) {
          rows[0].push(j);
          continue;
        }
        var best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          best = Math.min(best, rows[i - 2][j - 2] + 1);
        }
        rows[i].push(best);
      }
    }
    return rows[a.length][b.length];
  }

  // How many sections have `term`: of two corrections, the likelier is the one the handbook uses more.
  function sectionsWith(index, term) {
    var posting = index.invertedIndex[term];
    var refs = Object.create(null);
    index.fields.forEach(function (field) {
      Object.keys(posting[field] || {}).forEach(function (ref) { refs[ref] = true; });
    });
    return Object.keys(refs).length;
  }

  // The index's words within the edits `word` allows that the query does not already match (the
  // word itself, or words it begins), likeliest first.
  function corrections(index, word, prefix) {
    var edits = editsAllowed(word);
    if (!edits) return [];
    // The index's token set first: intersect follows the wildcard edges of its argument only.
    return index.tokenSet.intersect(lunr.TokenSet.fromFuzzyString(word, edits)).toArray()
      .filter(function (term) {
        return term !== word && !(prefix && term.indexOf(word) === 0) && term.indexOf("*") === -1;
      })
      .map(function (term) {
        return {term: term, edits: distance(word, term), used: sectionsWith(index, term)};
      })
      .sort(function (a, b) {
        return (a.edits - b.edits) || (b.used - a.used) || (a.term < b.term ? -1 : 1);
      })
      .map(function (candidate) { return candidate.term; });
  }

  // A word the index does not have, as two words it has ("stepdown": "step", "down"); the split
  // whose rarer half the handbook uses most.
  function split(index, word) {
    var best = null;
    for (var at = SPLIT_MIN; at <= word.length - SPLIT_MIN; at++) {
      var parts = [word.slice(0, at), word.slice(at)];
      if (!indexed(index, parts[0]) || !indexed(index, parts[1])) continue;
      var used = Math.min(sectionsWith(index, parts[0]), sectionsWith(index, parts[1]));
      if (!best || used > best.used) best = {parts: parts, used: used};
    }
    return best ? best.parts : null;
  }

  function startsAny(index, start) {
    return index.tokenSet.intersect(lunr.TokenSet.fromString(start + "*")).toArray().length > 0;
  }

  // The query's words as lunr parses Material's query string ("neglet*", "+consent*", "gcp2~1").
  function parse(queryString, fields) {
    var parsed = new lunr.Query(fields);
    new lunr.QueryParser(queryString, parsed).parse();
    return parsed.clauses;
  }

  // Should the additions fail on a query, the reader still gets Material's own search.
  var materialSearch = lunr.Index.prototype.search;
  lunr.Index.prototype.search = function (queryString) {
    try {
      return search(this, queryString);
    } catch (error) {
      console.warn("handbook search: searching without the handbook's additions:", error);
      ranking = Object.create(null);
      return materialSearch.call(this, queryString);
    }
  };

  function search(index, queryString) {
    var clauses = parse(queryString, index.fields);
    // For each word the handbook's matching applies to: {word, prefix, whole: [terms that match it
    // as written], split: [two terms a section must both have], corrections: [likeliest first]}
    var words = [];
    var extra = [];  // clauses to add: {term, prefix, boost}

    clauses.forEach(function (clause, position) {
      var word = clause.term.replace(/^\*+|\*+$/g, "");
      var prefix = /\*$/.test(clause.term);
      var typed = position === clauses.length - 1;
      clause.handbook = "keep";
      // What a reader wrote on purpose (+word, -word, word~2, word^3) is kept as written.
      if (clause.presence !== PRESENCE.OPTIONAL || "editDistance" in clause || clause.boost !== 1 || !word) return;
      if (isCommonWord(word) && !typed) {
        clause.handbook = "drop";
        return;
      }
      var entry = {word: word, prefix: prefix, whole: [], split: null, corrections: []};
      if (!indexed(index, word) && !(prefix && startsAny(index, word))) {
        entry.split = split(index, word);
      }
      entry.corrections = corrections(index, word, prefix);
      words.push(entry);
    });

    // Two neighbouring words the index has as one ("co ordinator", "e mail"): a section with the
    // joined word matches both as written.
    for (var i = 0; i + 1 < words.length; i++) {
      var joined = words[i].word + words[i + 1].word;
      var open = words[i + 1].prefix;
      if (indexed(index, joined) || (open && startsAny(index, joined))) {
        extra.push({term: joined, prefix: open, boost: 1});
        words[i].whole.push({term: joined, prefix: open});
        words[i + 1].whole.push({term: joined, prefix: open});
      }
    }
    words.forEach(function (entry) {
      if (entry.split) {
        entry.split.forEach(function (part) { extra.push({term: part, prefix: false, boost: 1}); });
      }
      entry.corrections.forEach(function (term) { extra.push({term: term, prefix: false, boost: FUZZY_BOOST}); });
    });

    var results = index.query(function (query) {
      clauses.forEach(function (clause) {
        if (clause.handbook === "keep") query.clause(clause);
      });
      extra.forEach(function (add) {
        query.clause({term: add.term, usePipeline: false, boost: add.boost, fields: index.fields,
                      wildcard: add.prefix ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE});
      });
    });

    ranking = Object.create(null);
    results.forEach(function (result) {
      var metadata = result.matchData.metadata;
      var found = Object.keys(metadata);
      var rank = {matched: 0, typos: 0, shown: {}};

      function has(term, prefix) {
        return found.some(function (key) { return key === term || (prefix && key.indexOf(term) === 0); });
      }

      // Material counts a query word as found when a matched term starts with it; an entry with
      // nothing in it says so without adding anything to highlight.
      function markFound(entry, shown) {
        rank.matched += 1;
        if (shown) rank.shown[entry.word] = shown;
        if (!(entry.word in metadata)) metadata[entry.word] = {};
      }

      words.forEach(function (entry) {
        if (has(entry.word, entry.prefix)) {
          rank.matched += 1;
          return;
        }
        var joined = entry.whole.filter(function (w) { return has(w.term, w.prefix); })[0];
        if (joined) return markFound(entry, joined.term);
        if (entry.split !== null && entry.split.every(function (part) { return has(part, false); })) {
          return markFound(entry, entry.split.join(" "));
        }
        var likeliest = entry.corrections.findIndex(function (term) { return term in metadata; });
        if (likeliest === -1) return;
        // One for the mistake, and one more for each likelier correction this section lacks.
        rank.typos += 1 + likeliest;
        markFound(entry, entry.corrections[likeliest]);
      });
      ranking[result.ref] = rank;
    });
    return results;
  }

  // Material's results come as groups, a page with its matching sections, ordered by Material's
  // score. Each page's sections are put in the order above, and each page ranks by its best one.
  function keyOf(item) {
    var rank = ranking[item.location] || {matched: 0, typos: 0};
    return {demoted: demoted[pagePath(item.location)] ? 1 : 0, matched: rank.matched, typos: rank.typos,
            score: item.score};
  }

  function compare(a, b) {
    return (a.demoted - b.demoted) || (b.matched - a.matched) || (a.typos - b.typos) || (b.score - a.score);
  }

  // The query words a result marks as found, under the word the section has where a correction
  // found it: Material highlights these on the page the result opens.
  function shownTerms(item) {
    var shown = (ranking[item.location] || {}).shown || {};
    var terms = {};
    Object.keys(item.terms || {}).forEach(function (word) {
      terms[shown[word] || word] = item.terms[word];
    });
    return terms;
  }

  function reorder(groups) {
    var ranked = groups.map(function (group) {
      var items = group.map(function (item) { return {item: item, key: keyOf(item)}; });
      items.sort(function (a, b) { return compare(a.key, b.key); });
      return {items: items, key: items.length ? items[0].key : keyOf({location: "", score: 0})};
    });
    ranked.sort(function (a, b) { return compare(a.key, b.key); });
    // Material's Enter key opens the result with the highest score, and a page shows the sections
    // that score as high as its first one: scores that follow the new order keep both right.
    return ranked.map(function (group, position) {
      return group.items.map(function (entry, place) {
        var copy = Object.assign({}, entry.item, {terms: shownTerms(entry.item)});
        var level = place === 0 || compare(entry.key, group.items[0].key) === 0 ? 0.5 : 0.5 / (place + 1);
        copy.score = (ranked.length - position) + level;
        return copy;
      });
    });
  }

  scope.addEventListener("message", function (event) {
    var message = event.data;
    if (!message || message.type !== SETUP) return;
    demoted = Object.create(null);
    message.data.docs.forEach(function (doc) {
      if (typeof doc.boost === "number" && doc.boost < 1) demoted[pagePath(doc.location)] = true;
    });
  });

  var post = scope.postMessage;
  scope.postMessage = function (message) {
    if (message && message.type === RESULT && message.data && Array.isArray(message.data.items)) {
      message = {type: RESULT, data: Object.assign({}, message.data, {items: reorder(message.data.items)})};
    }
    var rest = Array.prototype.slice.call(arguments, 1);
    return post.apply(scope, [message].concat(rest));
  };
})(self);
