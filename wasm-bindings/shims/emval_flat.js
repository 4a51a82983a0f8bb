// A JS library (--js-library) replacing how Embind 3.1.6 stores `val`
// handles. Upstream keeps one object {refcount, value} per live handle; the
// JS API made three per task it created (the generator, the Task object, the
// result; two now, see createTask in index.js), so those objects were a
// fifth of the JS heap a pending task cost and were copied by every scavenge. Here a handle is an
// index into two flat arrays, values and reference counts, and allocates
// nothing (emscripten-core made the same change upstream in later releases).
// The names and contracts are Embind's own: handles 1-4 are undefined, null,
// true and false, never counted; freed indices are reused.
mergeInto(LibraryManager.library, {
  $emval_handle_array: [0, undefined, null, true, false],
  $emval_refcounts: [0, 1, 1, 1, 1],
  $emval_free_list: [],

  $count_emval_handles__deps: ['$emval_refcounts'],
  $count_emval_handles: function () {
    var count = 0;
    for (var i = 5; i < emval_refcounts.length; ++i) if (emval_refcounts[i] > 0) ++count;
    return count;
  },

  // Upstream returns the first live handle's record: keep that shape.
  $get_first_emval__deps: ['$emval_handle_array', '$emval_refcounts'],
  $get_first_emval: function () {
    for (var i = 5; i < emval_refcounts.length; ++i)
      if (emval_refcounts[i] > 0) return { refcount: emval_refcounts[i], value: emval_handle_array[i] };
    return null;
  },

  $Emval__deps: ['$emval_handle_array', '$emval_refcounts', '$emval_free_list', '$throwBindingError', '$init_emval'],
  $Emval: {
    toValue: function (handle) {
      if (!handle) throwBindingError('Cannot use deleted val. handle = ' + handle);
      return emval_handle_array[handle];
    },
    toHandle: function (value) {
      switch (value) {
        case undefined: return 1;
        case null: return 2;
        case true: return 3;
        case false: return 4;
        default: {
          var handle = emval_free_list.length ? emval_free_list.pop() : emval_handle_array.length;
          emval_handle_array[handle] = value;
          emval_refcounts[handle] = 1;
          return handle;
        }
      }
    },
  },

  _emval_incref__sig: 'vi',
  _emval_incref__deps: ['$emval_refcounts'],
  _emval_incref: function (handle) {
    if (handle > 4) emval_refcounts[handle] += 1;
  },

  _emval_decref__sig: 'vi',
  _emval_decref__deps: ['$emval_free_list', '$emval_handle_array', '$emval_refcounts'],
  _emval_decref: function (handle) {
    if (handle > 4 && 0 === --emval_refcounts[handle]) {
      emval_handle_array[handle] = undefined;
      emval_free_list.push(handle);
    }
  },
});
