/* hail-account-list.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-account-config.h"

G_BEGIN_DECLS

/* The accounts the user set up, as a GListModel of HailAccountConfig kept
 * in the "accounts" GSettings key. The core will provide live account
 * objects in its place (issue #4). */

#define HAIL_TYPE_ACCOUNT_LIST (hail_account_list_get_type ())

G_DECLARE_FINAL_TYPE (HailAccountList, hail_account_list, HAIL, ACCOUNT_LIST, GObject)

HailAccountList *hail_account_list_new    (GSettings         *settings) G_GNUC_WARN_UNUSED_RESULT;
void             hail_account_list_save   (HailAccountList   *self,
                                           HailAccountConfig *config);
void             hail_account_list_remove (HailAccountList   *self,
                                           HailAccountConfig *config);
HailAccountConfig *hail_account_list_get_default (HailAccountList *self);

G_END_DECLS
