// SCORM 1.2 run-time conformance: calls every element of the CMI data model and provokes every error code
// of the RTE (1.2 RTE 3.3), recording each unexpected answer. The test reads window.scormResults.
(function () {
  "use strict";
  const results = { checks: 0, failures: [], reads: {} };
  window.scormResults = results;
  const api = window.findScormApi("API");
  function call(fn, args, want, code) {
    results.checks += 1;
    const got = String(api[fn].apply(api, args));
    const error = String(api.LMSGetLastError());
    const label = fn + "(" + args.join(", ") + ")";
    if (want !== null && got !== want) results.failures.push(label + " returned " + JSON.stringify(got) + ", not " + JSON.stringify(want));
    if (error !== String(code)) results.failures.push(label + " left error " + error + ", not " + code);
    if (code !== 0) {
      if (api.LMSGetErrorString(error) === "") results.failures.push("no error string for " + error);
      api.LMSGetDiagnostic(error);
    }
    return got;
  }
  const get = (el, want, code) => call("LMSGetValue", [el], want === undefined ? null : want, code || 0);
  const set = (el, value, code) => call("LMSSetValue", [el, value], code ? "false" : "true", code || 0);
  const read = (el) => { results.reads[el] = get(el); };
  const both = (el, value) => { set(el, value); get(el, value); };

  // 301: nothing works before LMSInitialize.
  get("cmi.core.student_id", "", 301);
  set("cmi.core.lesson_location", "x", 301);
  call("LMSCommit", [""], "false", 301);
  call("LMSFinish", [""], "false", 301);
  // 201: the argument must be "".
  call("LMSInitialize", ["x"], "false", 201);
  call("LMSInitialize", [""], "true", 0);
  // 101: initialising twice.
  call("LMSInitialize", [""], "false", 101);

  // cmi.core: read-only elements, as the LMS set them.
  ["cmi.core.student_id", "cmi.core.student_name", "cmi.core.credit", "cmi.core.entry", "cmi.core.total_time",
   "cmi.core.lesson_mode", "cmi.core.lesson_status", "cmi.core.lesson_location", "cmi.suspend_data",
   "cmi.launch_data", "cmi.comments_from_lms", "cmi.student_data.mastery_score",
   "cmi.student_data.max_time_allowed", "cmi.student_data.time_limit_action"].forEach(read);
  get("cmi.core._children", "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time");
  get("cmi.core.score._children", "raw,min,max");
  get("cmi.objectives._children", "id,score,status");
  get("cmi.student_data._children", "mastery_score,max_time_allowed,time_limit_action");
  get("cmi.student_preference._children", "audio,language,speed,text");
  get("cmi.interactions._children", "id,objectives,time,type,correct_responses,weighting,student_response,result,latency");
  // 403: read-only; 402: a keyword; 404: write-only.
  ["cmi.core.student_id", "cmi.core.student_name", "cmi.core.credit", "cmi.core.entry", "cmi.core.total_time",
   "cmi.core.lesson_mode", "cmi.launch_data", "cmi.comments_from_lms", "cmi.student_data.mastery_score",
   "cmi.student_data.max_time_allowed", "cmi.student_data.time_limit_action"].forEach((el) => set(el, "1", 403));
  set("cmi.core._children", "x", 402);
  set("cmi.objectives._count", "1", 402);
  get("cmi.core.exit", "", 404);
  get("cmi.core.session_time", "", 404);
  // 202: no children; 203: not an array; 401: not implemented (not in the data model).
  get("cmi.core.student_id._children", "", 202);
  get("cmi.core._count", "", 203);
  get("cmi.core.nonsense", "", 401);
  set("cmi.nonsense", "1", 401);
  // 405: the wrong type or vocabulary.
  set("cmi.core.lesson_status", "finished", 405);
  set("cmi.core.score.raw", "lots", 405);
  set("cmi.core.score.raw", "101", 405);
  set("cmi.core.exit", "later", 405);
  set("cmi.core.session_time", "an hour", 405);
  set("cmi.student_preference.audio", "200", 405);

  // Read-write and write-only elements of cmi.core and the rest.
  both("cmi.core.lesson_location", "page-3");
  both("cmi.core.score.raw", "85");
  both("cmi.core.score.min", "0");
  both("cmi.core.score.max", "100");
  both("cmi.suspend_data", "page=3;answers=a,b,c");
  both("cmi.comments", "The second page was clear.");
  both("cmi.student_preference.audio", "50");
  both("cmi.student_preference.language", "en");
  both("cmi.student_preference.speed", "10");
  both("cmi.student_preference.text", "1");
  set("cmi.core.session_time", "00:05:30");
  set("cmi.core.exit", "suspend");

  // Objectives (read-write) and interactions (write-only but for their counts).
  get("cmi.objectives._count", "0");
  both("cmi.objectives.0.id", "obj-phishing");
  both("cmi.objectives.0.score.raw", "90");
  both("cmi.objectives.0.score.min", "0");
  both("cmi.objectives.0.score.max", "100");
  both("cmi.objectives.0.status", "passed");
  get("cmi.objectives.0.score._children", "raw,min,max");
  get("cmi.objectives._count", "1");
  get("cmi.interactions._count", "0");
  set("cmi.interactions.0.id", "q1");
  set("cmi.interactions.0.objectives.0.id", "obj-phishing");
  set("cmi.interactions.0.time", "10:15:30");
  set("cmi.interactions.0.type", "choice");
  set("cmi.interactions.0.correct_responses.0.pattern", "b");
  set("cmi.interactions.0.weighting", "1");
  set("cmi.interactions.0.student_response", "b");
  set("cmi.interactions.0.result", "correct");
  set("cmi.interactions.0.latency", "00:00:12");
  get("cmi.interactions._count", "1");
  get("cmi.interactions.0.objectives._count", "1");
  get("cmi.interactions.0.correct_responses._count", "1");
  get("cmi.interactions.0.id", "", 404);
  get("cmi.interactions.0.student_response", "", 404);
  set("cmi.interactions.0.type", "guess", 405);

  call("LMSCommit", [""], "true", 0);
  call("LMSCommit", ["x"], "false", 201);
  window.scormFinish = function (status) {
    set("cmi.core.lesson_status", status);
    call("LMSFinish", [""], "true", 0);
    // 101 after LMSFinish: the session is over and cannot be finished or started again.
    call("LMSFinish", [""], null, 101);
    call("LMSInitialize", [""], "false", 101);
    return results;
  };
})();
