// The "synchronisation" demos (waiting for the primitives to land in main).
#include <vector>

#include "aio/demos/demo.hpp"

namespace aio::demos {

void add_synchronisation_demos(std::vector<Demo>& out) { (void)out; }

}  // namespace aio::demos
