// The intrusive list (aio/detail/intrusive_list.hpp) behind the loop's pending
// tasks, a server's connections and the HTTP demo's connections: order of
// push_back / push_front, removal anywhere, contains(), and iteration that
// survives removing the element it is on.
#include <gtest/gtest.h>

#include <memory>
#include <type_traits>
#include <vector>

#include "aio/detail/intrusive_list.hpp"

namespace {

using aio::detail::IntrusiveList;
using aio::detail::IntrusiveListHook;

struct Node {
  explicit Node(int id) : id(id) {}
  int id;
  IntrusiveListHook<Node> list_hook;
};

using List = IntrusiveList<Node>;

std::vector<int> ids(const List& list) {
  std::vector<int> out;
  for (Node* n : list) out.push_back(n->id);
  return out;
}

using Ids = std::vector<int>;

// Copying a linked element (or a list) would leave two owners of one set of links.
static_assert(!std::is_copy_constructible_v<Node> && !std::is_copy_assignable_v<Node>);
static_assert(!std::is_copy_constructible_v<List> && !std::is_copy_assignable_v<List>);

TEST(IntrusiveList, StartsEmpty) {
  List list;
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.front(), nullptr);
  EXPECT_EQ(list.back(), nullptr);
  EXPECT_TRUE(list.begin() == list.end());
  EXPECT_EQ(list.pop_front(), nullptr);
  Node a(1);
  EXPECT_FALSE(list.contains(&a));
}

TEST(IntrusiveList, PushBackKeepsInsertionOrder) {
  Node a(1), b(2), c(3);
  List list;
  list.push_back(&a);
  list.push_back(&b);
  list.push_back(&c);
  EXPECT_FALSE(list.empty());
  EXPECT_EQ(ids(list), (Ids{1, 2, 3}));
  EXPECT_EQ(list.front(), &a);
  EXPECT_EQ(list.back(), &c);
}

TEST(IntrusiveList, PushFrontPutsTheNewestFirst) {
  Node a(1), b(2), c(3);
  List list;
  list.push_front(&a);
  EXPECT_EQ(list.back(), &a);
  list.push_front(&b);
  list.push_front(&c);
  EXPECT_EQ(ids(list), (Ids{3, 2, 1}));
  EXPECT_EQ(list.front(), &c);
  EXPECT_EQ(list.back(), &a);
  // Both ends stay usable: push_back after push_front goes after `a`.
  Node d(4);
  list.push_back(&d);
  EXPECT_EQ(ids(list), (Ids{3, 2, 1, 4}));
  // The links push_front made are whole in both directions (Server and
  // HttpConnections remove connections from anywhere in their lists).
  EXPECT_TRUE(list.contains(&b));
  EXPECT_TRUE(list.contains(&a));
  list.remove(&b);
  EXPECT_EQ(ids(list), (Ids{3, 1, 4}));
  list.remove(&a);
  EXPECT_EQ(ids(list), (Ids{3, 4}));
  list.remove(&d);
  EXPECT_EQ(list.back(), &c);
  EXPECT_EQ(ids(list), (Ids{3}));
}

TEST(IntrusiveList, ContainsEveryLinkedElementAndNoOther) {
  Node a(1), b(2), c(3), outside(4);
  List list;
  list.push_back(&a);
  list.push_back(&b);
  list.push_back(&c);
  EXPECT_TRUE(list.contains(&a));  // first: no predecessor, but the head
  EXPECT_TRUE(list.contains(&b));
  EXPECT_TRUE(list.contains(&c));
  EXPECT_FALSE(list.contains(&outside));
  list.remove(&b);
  EXPECT_FALSE(list.contains(&b));
  list.remove(&a);
  list.remove(&c);
  EXPECT_FALSE(list.contains(&a));
  EXPECT_FALSE(list.contains(&c));
}

TEST(IntrusiveList, RemoveFirst) {
  Node a(1), b(2), c(3);
  List list;
  list.push_back(&a);
  list.push_back(&b);
  list.push_back(&c);
  list.remove(&a);
  EXPECT_EQ(ids(list), (Ids{2, 3}));
  EXPECT_EQ(list.front(), &b);
  EXPECT_EQ(list.back(), &c);
  list.push_front(&a);  // a removed element can be linked again
  EXPECT_EQ(ids(list), (Ids{1, 2, 3}));
}

TEST(IntrusiveList, RemoveMiddle) {
  Node a(1), b(2), c(3);
  List list;
  list.push_back(&a);
  list.push_back(&b);
  list.push_back(&c);
  list.remove(&b);
  EXPECT_EQ(ids(list), (Ids{1, 3}));
  EXPECT_EQ(list.front(), &a);
  EXPECT_EQ(list.back(), &c);
  list.push_back(&b);
  EXPECT_EQ(ids(list), (Ids{1, 3, 2}));
}

TEST(IntrusiveList, RemoveLast) {
  Node a(1), b(2), c(3);
  List list;
  list.push_back(&a);
  list.push_back(&b);
  list.push_back(&c);
  list.remove(&c);
  EXPECT_EQ(ids(list), (Ids{1, 2}));
  EXPECT_EQ(list.front(), &a);
  EXPECT_EQ(list.back(), &b);
  Node d(4);
  list.push_back(&d);  // the new tail follows b, not the removed c
  EXPECT_EQ(ids(list), (Ids{1, 2, 4}));
}

TEST(IntrusiveList, RemoveTheOnlyElementEmptiesTheList) {
  Node a(1);
  List list;
  list.push_back(&a);
  EXPECT_EQ(list.front(), &a);
  EXPECT_EQ(list.back(), &a);
  EXPECT_TRUE(list.contains(&a));
  list.remove(&a);
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.front(), nullptr);
  EXPECT_EQ(list.back(), nullptr);
  EXPECT_FALSE(list.contains(&a));
  EXPECT_TRUE(list.begin() == list.end());
  // And the list works as new afterwards.
  Node b(2);
  list.push_front(&b);
  list.push_back(&a);
  EXPECT_EQ(ids(list), (Ids{2, 1}));
}

TEST(IntrusiveList, PopFrontTakesElementsInOrder) {
  Node a(1), b(2), c(3);
  List list;
  list.push_back(&a);
  list.push_back(&b);
  list.push_back(&c);
  EXPECT_EQ(list.pop_front(), &a);
  EXPECT_FALSE(list.contains(&a));
  EXPECT_EQ(list.pop_front(), &b);
  EXPECT_EQ(list.pop_front(), &c);
  EXPECT_EQ(list.pop_front(), nullptr);
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.back(), nullptr);
}

// HttpConnections::sweep closes connections as it goes; a closed one unlinks
// (and may be destroyed) while the iteration is on it.
TEST(IntrusiveList, IterationSurvivesRemovingAndDestroyingTheCurrentElement) {
  List list;
  std::vector<std::unique_ptr<Node>> nodes;
  for (int i = 1; i <= 5; ++i) {
    nodes.push_back(std::make_unique<Node>(i));
    list.push_back(nodes.back().get());
  }
  Ids visited;
  for (Node* n : list) {
    visited.push_back(n->id);
    if (n->id % 2 == 1) {  // 1, 3, 5: first, middle and last
      list.remove(n);
      nodes[std::size_t(n->id - 1)].reset();
    }
  }
  EXPECT_EQ(visited, (Ids{1, 2, 3, 4, 5}));
  EXPECT_EQ(ids(list), (Ids{2, 4}));
  EXPECT_EQ(list.front()->id, 2);
  EXPECT_EQ(list.back()->id, 4);

  visited.clear();
  for (Node* n : list) {
    visited.push_back(n->id);
    list.remove(n);
  }
  EXPECT_EQ(visited, (Ids{2, 4}));
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.back(), nullptr);
}

}  // namespace
