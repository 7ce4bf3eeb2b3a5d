// SCORM 2004 run-time conformance: calls every element of the CMI data model (RTE 4.2) and provokes each
// error code a SCO can cause (RTE 3.1.7), recording each unexpected answer in window.scormResults.
(function () {
  "use strict";
  const results = { checks: 0, failures: [], reads: {} };
  window.scormResults = results;
  const api = window.findScormApi("API_1484_11");
  function call(fn, args, want, code) {
    results.checks += 1;
    const got = String(api[fn].apply(api, args));
    const error = String(api.GetLastError());
    const label = fn + "(" + args.join(", ") + ")";
    if (want !== null && got !== want) results.failures.push(label + " returned " + JSON.stringify(got) + ", not " + JSON.stringify(want));
    if (error !== String(code)) results.failures.push(label + " left error " + error + ", not " + code);
    if (code !== 0 && api.GetErrorString(error) === "") results.failures.push("no error string for " + error);
    if (code !== 0) api.GetDiagnostic(error);
    return got;
  }
  const get = (el, want, code) => call("GetValue", [el], want === undefined ? null : want, code || 0);
  const set = (el, value, code) => call("SetValue", [el, value], code ? "false" : "true", code || 0);
  const read = (el) => { results.reads[el] = get(el); };
  const both = (el, value) => { set(el, value); get(el, value); };
  // A _children list may come in any order (RTE 4.1.1).
  const children = (el, want) => {
    const got = get(el).split(",").sort().join(",");
    if (got !== want.split(",").sort().join(",")) results.failures.push(el + " lists " + got + ", not " + want);
  };

  // Before Initialize: 122 retrieve, 132 store, 142 commit, 112 terminate; 201 a non-empty argument.
  get("cmi.location", "", 122);
  set("cmi.location", "x", 132);
  call("Commit", [""], "false", 142);
  call("Terminate", [""], "false", 112);
  call("Initialize", ["x"], "false", 201);
  call("Initialize", [""], "true", 0);
  call("Initialize", [""], "false", 103);

  get("cmi._version", "1.0");
  ["cmi.learner_id", "cmi.learner_name", "cmi.credit", "cmi.entry", "cmi.mode", "cmi.total_time",
   "cmi.launch_data", "cmi.time_limit_action", "cmi.completion_status", "cmi.success_status"].forEach(read);
  // Elements the LMS may leave uninitialised answer 403 until set (RTE 4.1.7).
  ["cmi.scaled_passing_score", "cmi.completion_threshold", "cmi.max_time_allowed", "cmi.location",
   "cmi.suspend_data"].forEach((el) => {
    results.checks += 1;
    results.reads[el] = String(api.GetValue(el));
    const error = String(api.GetLastError());
    if (error !== "0" && error !== "403") results.failures.push("GetValue(" + el + ") left error " + error);
  });
  if (results.reads["cmi.entry"] === "ab-initio") {
    get("cmi.location", "", 403);
    get("cmi.score.scaled", "", 403);
  }
  get("cmi.comments_from_lms._count", "0");
  children("cmi.comments_from_lms._children", "comment,location,timestamp");
  children("cmi.comments_from_learner._children", "comment,location,timestamp");
  children("cmi.learner_preference._children", "audio_level,language,delivery_speed,audio_captioning");
  children("cmi.score._children", "scaled,raw,min,max");
  children("cmi.objectives._children", "id,success_status,completion_status,progress_measure,description,score");
  children("cmi.interactions._children", "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description");

  // 404 read-only, 405 write-only, 401 undefined, 301/351 general get/set failures (an empty element).
  ["cmi._version", "cmi.learner_id", "cmi.learner_name", "cmi.credit", "cmi.entry", "cmi.mode", "cmi.total_time",
   "cmi.launch_data", "cmi.scaled_passing_score", "cmi.completion_threshold", "cmi.max_time_allowed",
   "cmi.time_limit_action", "cmi.comments_from_lms._count"].forEach((el) => set(el, "1", 404));
  get("cmi.exit", "", 405);
  get("cmi.session_time", "", 405);
  get("cmi.nonsense", "", 401);
  set("cmi.nonsense", "1", 401);
  get("", "", 301);
  set("", "1", 351);
  // 406 type mismatch, 407 out of range, 408 dependency not established.
  set("cmi.completion_status", "finished", 406);
  set("cmi.success_status", "won", 406);
  set("cmi.score.scaled", "lots", 406);
  set("cmi.exit", "later", 406);
  set("cmi.session_time", "an hour", 406);
  set("cmi.score.scaled", "2", 407);
  set("cmi.progress_measure", "1.5", 407);
  set("cmi.learner_preference.audio_level", "-1", 407);
  set("cmi.comments_from_learner.5.comment", "skip", 351);

  both("cmi.location", "page-3");
  both("cmi.suspend_data", "page=3;answers=a,b,c");
  both("cmi.progress_measure", "0.5");
  both("cmi.score.raw", "85");
  both("cmi.score.min", "0");
  both("cmi.score.max", "100");
  both("cmi.score.scaled", "0.85");
  both("cmi.learner_preference.audio_level", "0.5");
  both("cmi.learner_preference.language", "en-GB");
  both("cmi.learner_preference.delivery_speed", "1.5");
  both("cmi.learner_preference.audio_captioning", "1");
  set("cmi.session_time", "PT5M30S");
  set("cmi.exit", "suspend");
  both("cmi.comments_from_learner.0.comment", "The second page was clear.");
  both("cmi.comments_from_learner.0.location", "page-2");
  both("cmi.comments_from_learner.0.timestamp", "2026-01-05T10:15:30");
  get("cmi.comments_from_learner._count", "1");

  get("cmi.objectives._count", "0");
  both("cmi.objectives.0.id", "obj-phishing");
  children("cmi.objectives.0.score._children", "scaled,raw,min,max");
  both("cmi.objectives.0.score.scaled", "0.9");
  both("cmi.objectives.0.score.raw", "90");
  both("cmi.objectives.0.score.min", "0");
  both("cmi.objectives.0.score.max", "100");
  both("cmi.objectives.0.success_status", "passed");
  both("cmi.objectives.0.completion_status", "completed");
  both("cmi.objectives.0.progress_measure", "1");
  both("cmi.objectives.0.description", "Recognise phishing");
  get("cmi.objectives._count", "1");

  get("cmi.interactions._count", "0");
  both("cmi.interactions.0.id", "q1");
  both("cmi.interactions.0.type", "choice");
  both("cmi.interactions.0.objectives.0.id", "obj-phishing");
  get("cmi.interactions.0.objectives._count", "1");
  both("cmi.interactions.0.timestamp", "2026-01-05T10:15:30");
  both("cmi.interactions.0.correct_responses.0.pattern", "b");
  get("cmi.interactions.0.correct_responses._count", "1");
  both("cmi.interactions.0.weighting", "1");
  both("cmi.interactions.0.learner_response", "b");
  both("cmi.interactions.0.result", "correct");
  both("cmi.interactions.0.latency", "PT12S");
  both("cmi.interactions.0.description", "Which message is phishing?");
  get("cmi.interactions._count", "1");
  set("cmi.interactions.0.result", "great", 406);

  set("adl.nav.request", "_none_");
  read("adl.nav.request_valid.continue");
  read("adl.nav.request_valid.previous");
  set("adl.nav.request_valid.continue", "true", 404);

  // 408: a row's id (and an interaction's type) come before the rest of it.
  set("cmi.objectives.1.success_status", "passed", 408);
  set("cmi.interactions.1.id", "q2");
  set("cmi.interactions.1.learner_response", "b", 408);
  set("cmi.interactions.1.correct_responses.0.pattern", "b", 408);
  set("cmi.interactions.1.type", "true-false");

  call("Commit", [""], "true", 0);
  call("Commit", ["x"], "false", 201);
  window.scormFinish = function (completion, success) {
    set("cmi.completion_status", completion);
    if (success) set("cmi.success_status", success);
    call("Terminate", [""], "true", 0);
    // After Terminate: 123 retrieve, 133 store, 143 commit, 113 terminate, 104 initialize.
    get("cmi.location", "", 123);
    set("cmi.location", "x", 133);
    call("Commit", [""], "false", 143);
    call("Terminate", [""], "false", 113);
    call("Initialize", [""], "false", 104);
    return results;
  };
})();
