/* wizard-test-util.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wizard-test-util.h"

#include "hail-test-util.h"

#include <adwaita.h>

HailAccountList *
wizard_test_new_list (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "accounts");
  return hail_account_list_new (settings);
}

gboolean
wizard_test_shows_result (gpointer wizard)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (WIZ (wizard, "check_stack"))),
                    "result") == 0;
}

HailAccountWizard *
wizard_test_run (HailAccountList *list,
                 HailEngine      *engine,
                 const char      *address,
                 const char      *password)
{
  HailAccountWizard *wizard = g_object_ref_sink (hail_account_wizard_new (list, engine, NULL));

  gtk_editable_set_text (GTK_EDITABLE (WIZ (wizard, "address_row")), address);
  gtk_editable_set_text (GTK_EDITABLE (WIZ (wizard, "password_row")), password);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_true (hail_test_wait_until (wizard_test_shows_result, wizard, WIZARD_TEST_WAIT_MS));
  return wizard;
}

const char *
wizard_test_title (HailAccountWizard *wizard)
{
  return adw_status_page_get_title (ADW_STATUS_PAGE (WIZ (wizard, "result_page")));
}

const char *
wizard_test_text (HailAccountWizard *wizard)
{
  return adw_status_page_get_description (ADW_STATUS_PAGE (WIZ (wizard, "result_page")));
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

void
wizard_test_finish (HailAccountWizard *wizard)
{
  gpointer weak = wizard;

  g_object_add_weak_pointer (G_OBJECT (wizard), &weak);
  gtk_window_destroy (GTK_WINDOW (wizard));
  g_object_unref (wizard);
  g_assert_true (hail_test_wait_until (is_null, &weak, WIZARD_TEST_WAIT_MS));
}
