#include "rules/spidermonkey/intrinsics_guard.h"

#include <js/Array.h>
#include <js/PropertyAndElement.h>
#include <js/PropertyDescriptor.h>
#include <jsfriendapi.h>

#include <unordered_set>

namespace gatehouse::rules::sm {
namespace {

constexpr unsigned kOwnKeys = JSITER_OWNONLY | JSITER_HIDDEN | JSITER_SYMBOLS;

// Attribute bits of a snapshotted property.
constexpr uint8_t kConfigurable = 1;
constexpr uint8_t kEnumerable = 2;
constexpr uint8_t kWritable = 4;
constexpr uint8_t kAccessor = 8;

uint8_t AttrsOf(const JS::PropertyDescriptor& d) {
  uint8_t a = 0;
  if (d.configurable()) a |= kConfigurable;
  if (d.enumerable()) a |= kEnumerable;
  if (d.isAccessorDescriptor()) {
    a |= kAccessor;
  } else if (d.writable()) {
    a |= kWritable;
  }
  return a;
}

// A pending exception left by a failed call would surface in the rule's run.
bool Failed(JSContext* cx) {
  JS_ClearPendingException(cx);
  return false;
}

}  // namespace

IntrinsicsGuard::IntrinsicsGuard(JSContext* cx)
    : objects_(cx), protos_(cx), ids_(cx), values_(cx), getters_(cx), setters_(cx) {}

std::unique_ptr<IntrinsicsGuard> IntrinsicsGuard::Create(JSContext* cx, JS::HandleObject targets,
                                                         std::string* error) {
  std::unique_ptr<IntrinsicsGuard> guard(new IntrinsicsGuard(cx));
  uint32_t length = 0;
  if (!JS::GetArrayLength(cx, targets, &length)) {
    *error = "the intrinsics list is not an array";
    return nullptr;
  }
  JS::RootedValue v(cx);
  JS::RootedObject obj(cx);
  for (uint32_t i = 0; i < length; ++i) {
    if (!JS_GetElement(cx, targets, i, &v) || !v.isObject()) {
      JS_ClearPendingException(cx);
      *error = "malformed intrinsics list";
      return nullptr;
    }
    obj = &v.toObject();
    if (!guard->Snapshot(cx, obj)) {
      JS_ClearPendingException(cx);
      *error = "cannot snapshot the built-ins";
      return nullptr;
    }
  }
  return guard;
}

bool IntrinsicsGuard::Snapshot(JSContext* cx, JS::HandleObject obj) {
  JS::RootedIdVector keys(cx);
  if (!js::GetPropertyKeys(cx, obj, kOwnKeys, &keys)) return false;
  JS::RootedObject proto(cx);
  if (!JS_GetPrototype(cx, obj, &proto)) return false;
  Guarded g{.first = ids_.length(), .count = 0};
  JS::Rooted<mozilla::Maybe<JS::PropertyDescriptor>> desc(cx);
  for (size_t i = 0; i < keys.length(); ++i) {
    if (!JS_GetOwnPropertyDescriptorById(cx, obj, keys[i], &desc)) return false;
    if (desc.isNothing()) continue;
    const JS::PropertyDescriptor& d = *desc;
    bool accessor = d.isAccessorDescriptor();
    if (!ids_.append(keys[i]) || !values_.append(accessor ? JS::UndefinedValue() : d.value()) ||
        !getters_.append(accessor ? d.getter() : nullptr) ||
        !setters_.append(accessor ? d.setter() : nullptr)) {
      return false;
    }
    attrs_.push_back(AttrsOf(d));
    ++g.count;
  }
  if (!objects_.append(obj) || !protos_.append(proto)) return false;
  guarded_.push_back(g);
  return true;
}

bool IntrinsicsGuard::Reset(JSContext* cx) {
  bool ok = true;
  JS::RootedObject obj(cx), proto(cx), getter(cx), setter(cx);
  JS::RootedId id(cx);
  JS::RootedIdVector now(cx);
  JS::Rooted<mozilla::Maybe<JS::PropertyDescriptor>> cur(cx);
  JS::Rooted<JS::PropertyDescriptor> want(cx);
  for (size_t o = 0; o < guarded_.size(); ++o) {
    const Guarded& g = guarded_[o];
    obj = objects_[o];
    // Properties a rule added: the own keys match the snapshot's, in order,
    // unless something was added or deleted.
    now.clear();
    if (!js::GetPropertyKeys(cx, obj, kOwnKeys, &now)) return Failed(cx);
    bool same = now.length() == g.count;
    for (size_t k = 0; same && k < g.count; ++k) same = now[k] == ids_[g.first + k];
    if (!same) {
      std::unordered_set<uint64_t> known;
      for (size_t k = 0; k < g.count; ++k) known.insert(ids_[g.first + k].asRawBits());
      for (size_t k = 0; k < now.length(); ++k) {
        if (known.count(now[k].asRawBits())) continue;
        id = now[k];
        JS::ObjectOpResult deleted;
        if (!JS_DeletePropertyById(cx, obj, id, deleted) || !deleted.ok()) ok = Failed(cx);
      }
    }
    // Properties a rule changed or deleted.
    for (size_t k = g.first; k < g.first + g.count; ++k) {
      id = ids_[k];
      if (!JS_GetOwnPropertyDescriptorById(cx, obj, id, &cur)) return Failed(cx);
      const uint8_t attrs = attrs_[k];
      if (cur.isSome() && AttrsOf(*cur) == attrs) {
        const JS::PropertyDescriptor& d = *cur;
        bool unchanged = (attrs & kAccessor)
                             ? d.getter() == getters_[k] && d.setter() == setters_[k]
                             : d.value() == values_[k];
        if (unchanged) continue;
      }
      JS::PropertyAttributes pa;
      if (attrs & kConfigurable) pa += JS::PropertyAttribute::Configurable;
      if (attrs & kEnumerable) pa += JS::PropertyAttribute::Enumerable;
      if (attrs & kAccessor) {
        want = JS::PropertyDescriptor::Accessor(getters_[k], setters_[k], pa);
      } else {
        if (attrs & kWritable) pa += JS::PropertyAttribute::Writable;
        want = JS::PropertyDescriptor::Data(values_[k], pa);
      }
      JS::ObjectOpResult defined;
      if (!JS_DefinePropertyById(cx, obj, id, want, defined) || !defined.ok()) ok = Failed(cx);
    }
    if (!JS_GetPrototype(cx, obj, &proto)) return Failed(cx);
    if (proto != protos_[o]) {
      proto = protos_[o];
      if (!JS_SetPrototype(cx, obj, proto)) ok = Failed(cx);
    }
  }
  return ok;
}

}  // namespace gatehouse::rules::sm
