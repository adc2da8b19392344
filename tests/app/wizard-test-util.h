/* wizard-test-util.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The account wizard driven as a user would, for the tests that check
 * what its result page says.
 */
#pragma once

#include "hail-account-list.h"
#include "hail-account-wizard.h"
#include "hail-engine.h"

G_BEGIN_DECLS

#define WIZARD_TEST_WAIT_MS 30000
#define WIZ(w, id) \
  GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (w), HAIL_TYPE_ACCOUNT_WIZARD, id))

/* An empty account list in the (memory) settings. */
HailAccountList   *wizard_test_new_list     (void);
gboolean           wizard_test_shows_result (gpointer           wizard);
/* Fills the address and password, presses Next and waits for the result
 * page; the caller's reference goes back through wizard_test_finish. */
HailAccountWizard *wizard_test_run          (HailAccountList   *list,
                                             HailEngine        *engine,
                                             const char        *address,
                                             const char        *password);
const char        *wizard_test_title        (HailAccountWizard *wizard);
const char        *wizard_test_text         (HailAccountWizard *wizard);
/* Closes the wizard and waits until it is finalized. */
void               wizard_test_finish       (HailAccountWizard *wizard);

G_END_DECLS
