// WebAssembly builds: the manual host is the default until the browser host,
// which yields to the JS event loop instead of returning empty-handed, lands.
// CMake compiles this file only where there is no native host.
#include "manual_host.hpp"

namespace aio {
std::unique_ptr<Host> make_default_host() { return std::make_unique<hosts::ManualHost>(); }
}  // namespace aio
