/* hail-account-wizard.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hail-account-list.h"
#include "hail-engine.h"

G_BEGIN_DECLS

#define HAIL_TYPE_ACCOUNT_WIZARD (hail_account_wizard_get_type ())

G_DECLARE_FINAL_TYPE (HailAccountWizard, hail_account_wizard, HAIL, ACCOUNT_WIZARD, AdwWindow)

HailAccountWizard *hail_account_wizard_new (HailAccountList   *accounts,
                                            HailEngine        *engine,
                                            HailAccountConfig *config) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
