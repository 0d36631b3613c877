#include "mgmt/scopes.h"

namespace gatehouse::mgmt {

const std::vector<std::string>& AllScopes() {
  static const std::vector<std::string> k = {"read:users",
                                             "create:users",
                                             "update:users",
                                             "delete:users",
                                             "read:rules",
                                             "create:rules",
                                             "update:rules",
                                             "delete:rules",
                                             "read:rules_configs",
                                             "update:rules_configs",
                                             "delete:rules_configs",
                                             "read:clients",
                                             "create:clients",
                                             "update:clients",
                                             "delete:clients",
                                             "read:logs",
                                             "read:connections",
                                             "create:connections",
                                             "update:connections",
                                             "delete:connections",
                                             "read:client_keys",
                                             "update:client_keys",
                                             "read:users_app_metadata",
                                             "update:users_app_metadata",
                                             "read:actions",
                                             "create:actions",
                                             "update:actions",
                                             "delete:actions"};
  return k;
}

}  // namespace gatehouse::mgmt
