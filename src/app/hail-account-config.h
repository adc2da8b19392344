/* hail-account-config.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One account as the user set it up: what the wizard writes and GSettings
 * keeps. The password is never part of it. The core's account object will
 * be built from this (issue #4). */

#define HAIL_TYPE_ACCOUNT_CONFIG (hail_account_config_get_type ())

G_DECLARE_FINAL_TYPE (HailAccountConfig, hail_account_config, HAIL, ACCOUNT_CONFIG, GObject)

G_GNUC_WARN_UNUSED_RESULT
HailAccountConfig *hail_account_config_new              (const char        *address);
G_GNUC_WARN_UNUSED_RESULT
HailAccountConfig *hail_account_config_new_from_variant (GVariant          *dict);
GVariant          *hail_account_config_to_variant       (HailAccountConfig *self);

const char        *hail_account_config_get_address      (HailAccountConfig *self);
void               hail_account_config_set_address      (HailAccountConfig *self,
                                                         const char        *address);
const char        *hail_account_config_get_display_name (HailAccountConfig *self);
void               hail_account_config_set_display_name (HailAccountConfig *self,
                                                         const char        *display_name);
const char        *hail_account_config_get_auth_user    (HailAccountConfig *self);
void               hail_account_config_set_auth_user    (HailAccountConfig *self,
                                                         const char        *auth_user);
const char        *hail_account_config_get_proxy        (HailAccountConfig *self);
void               hail_account_config_set_proxy        (HailAccountConfig *self,
                                                         const char        *proxy);
const char        *hail_account_config_get_transport    (HailAccountConfig *self);
void               hail_account_config_set_transport    (HailAccountConfig *self,
                                                         const char        *transport);
guint              hail_account_config_get_port         (HailAccountConfig *self);
void               hail_account_config_set_port         (HailAccountConfig *self,
                                                         guint              port);
char              *hail_account_config_dup_login        (HailAccountConfig *self)
  G_GNUC_WARN_UNUSED_RESULT;
gboolean           hail_account_config_get_enabled      (HailAccountConfig *self);
void               hail_account_config_set_enabled      (HailAccountConfig *self,
                                                         gboolean           enabled);
const char        *hail_account_config_get_ca_file      (HailAccountConfig *self);
void               hail_account_config_set_ca_file      (HailAccountConfig *self,
                                                         const char        *ca_file);
const char        *hail_account_config_get_msrp_relay   (HailAccountConfig *self);
void               hail_account_config_set_msrp_relay   (HailAccountConfig *self,
                                                         const char        *relay);

G_END_DECLS
