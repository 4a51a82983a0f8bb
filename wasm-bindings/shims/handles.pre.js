// Runs inside the module factory (--pre-js). index.js passes JS values to
// the hottest bindings (task creation) as Embind handles, made here: a raw
// wasm export taking handles costs less than an Embind function taking
// `val`s (whose destructors each call back into JS).
Module['__toHandle'] = function (v) { return Emval.toHandle(v); };
