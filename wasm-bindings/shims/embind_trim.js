// A JS library (--js-library) that drops the parts of Embind 3.1.6 the
// package never uses, for the size budget (100 KB gzipped). Embind's own
// bindings register std::wstring, std::u16string and std::u32string whether
// or not anything is bound with them, and that registration pulls in the
// loader's UTF-16 and UTF-32 conversions. No binding of the package passes
// those strings: here they register nothing, so a binding that did would
// fail when the module loads with Embind's "unbound type" error instead of
// working silently wrong.
mergeInto(LibraryManager.library, {
  _embind_register_std_wstring__sig: 'viii',
  _embind_register_std_wstring: function (rawType, charSize, name) {},
});
