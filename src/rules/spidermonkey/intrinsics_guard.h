#pragma once
// Puts a realm's built-ins back as they were, before every execution.
//
// A realm lives across logins (so a rule's `global` cache can), so whatever a
// rule changes on the built-ins or on what the prelude defined
// (Object.prototype.x, JSON.parse = ..., console.log = ...) would otherwise
// reach the next login, another user's included: prototype pollution, or a
// hijacked JSON.parse reading the next user's profile. The prelude picks the
// objects to guard (every standard global and its prototype, hidden
// intrinsics, the global itself); this class snapshots their own properties
// and prototypes once and restores them natively. It replaced a JavaScript
// reset that cost about 2.8 M instructions per execution, more than the rest
// of a login (docs/performance.md).
//
// Nothing here runs script: own keys and descriptors are read without calling
// getters or proxy traps (the guarded objects are the original built-ins).

#include <js/GCVector.h>
#include <jsapi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gatehouse::rules::sm {

class IntrinsicsGuard {
 public:
  // Snapshots the objects listed in `targets` (a JS array). Call in the realm.
  // Null with `error` set on an engine failure.
  static std::unique_ptr<IntrinsicsGuard> Create(JSContext* cx, JS::HandleObject targets,
                                                 std::string* error);

  // Restores every guarded object: deletes own properties added since the
  // snapshot, redefines changed or deleted ones, and puts
  // the prototype back. False when something could not be restored (a rule
  // made a property non-configurable or an object non-extensible): the realm
  // is poisoned and must not run the next login. Call in the realm.
  bool Reset(JSContext* cx);

 private:
  explicit IntrinsicsGuard(JSContext* cx);
  bool Snapshot(JSContext* cx, JS::HandleObject obj);

  struct Guarded {
    size_t first = 0;  // index into the per-property vectors
    size_t count = 0;
  };
  // Per guarded object (parallel to guarded_).
  JS::PersistentRootedObjectVector objects_;
  JS::PersistentRootedObjectVector protos_;  // entries may be null
  std::vector<Guarded> guarded_;
  // Per property (parallel): key, value or getter/setter, attributes.
  JS::PersistentRootedIdVector ids_;
  JS::PersistentRootedVector<JS::Value> values_;
  JS::PersistentRootedObjectVector getters_;
  JS::PersistentRootedObjectVector setters_;
  std::vector<uint8_t> attrs_;
};

}  // namespace gatehouse::rules::sm
