#pragma once
// Management-API merge semantics for user_metadata / app_metadata (SPEC §5.2).

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace gatehouse::accounts {

// Largest serialised metadata object accepted after a merge.
inline constexpr size_t kMaxMetadataBytes = 16 * 1024;

// Ok when `patch` is a JSON object whose top-level keys are non-empty and
// contain no '.' or '$'; InvalidArgument (public message) otherwise.
Status ValidateMetadataPatch(const nlohmann::json& patch);

// `stored` with `patch` merged at the top level: each key of the patch
// replaces the stored key (objects are replaced whole, not deep-merged), a
// null value deletes the key, keys not in the patch stay.
nlohmann::json MergeMetadata(const nlohmann::json& stored, const nlohmann::json& patch);

}  // namespace gatehouse::accounts
