/* test-templates.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each window and widget builds from its template with its children bound,
 * and its actions are enabled exactly when they can work.
 */
#include "config.h"

#include "hail-account-list.h"
#include "hail-account-wizard.h"
#include "hail-dialpad.h"
#include "hail-offline-engine.h"
#include "hail-device-row.h"
#include "hail-preferences-window.h"
#include "hail-sip-trace.h"
#include "hail-test-util.h"
#include "hail-window.h"

#include "app-test-util.h"

#include <adwaita.h>
#include <string.h>

#define CHILD(w, type, id) \
  GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (w), type, id))
#define WIZ(w, id) CHILD (w, HAIL_TYPE_ACCOUNT_WIZARD, id)
#define SUBTITLE(w, id) adw_action_row_get_subtitle (ADW_ACTION_ROW (WIZ (w, id)))
#define TEXT(w, id) gtk_editable_get_text (GTK_EDITABLE (WIZ (w, id)))

/* A history item as the core will give it: only its string properties count. */
#define TEST_TYPE_ITEM (test_item_get_type ())
G_DECLARE_FINAL_TYPE (TestItem, test_item, TEST, ITEM, GObject)

struct _TestItem {
  GObject parent_instance;
  char *title;
  char *address;
};

G_DEFINE_FINAL_TYPE (TestItem, test_item, G_TYPE_OBJECT)

enum { ITEM_PROP_0, ITEM_PROP_TITLE, ITEM_PROP_ADDRESS };

static void
test_item_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TestItem *self = TEST_ITEM (object);

  g_value_set_string (value, prop_id == ITEM_PROP_TITLE ? self->title : self->address);
}

static void
test_item_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TestItem *self = TEST_ITEM (object);
  char **field = prop_id == ITEM_PROP_TITLE ? &self->title : &self->address;

  g_free (*field);
  *field = g_value_dup_string (value);
}

static void
test_item_finalize (GObject *object)
{
  TestItem *self = TEST_ITEM (object);

  g_free (self->title);
  g_free (self->address);
  G_OBJECT_CLASS (test_item_parent_class)->finalize (object);
}

static void
test_item_class_init (TestItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_item_get_property;
  object_class->set_property = test_item_set_property;
  object_class->finalize = test_item_finalize;
  g_object_class_install_property (object_class, ITEM_PROP_TITLE,
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READWRITE));
  g_object_class_install_property (object_class, ITEM_PROP_ADDRESS,
    g_param_spec_string ("address", NULL, NULL, NULL, G_PARAM_READWRITE));
}

static void
test_item_init (TestItem *self)
{
}

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  /* The memory backend lives as long as the process: start every case clean. */
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
  return settings;
}

/* Actionable widgets follow their action's state once they are in a window. */
static GtkWidget *
new_dialpad_in_window (GtkWindow **window)
{
  GtkWidget *pad = g_object_ref_sink (hail_dialpad_new ());

  *window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (*window, pad);
  return pad;
}

static void
destroy_window_and_dialpad (GtkWindow *window,
                            GtkWidget *pad)
{
  gtk_window_destroy (window);
  g_assert_finalize_object (pad);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* A wizard check in flight holds a reference until its callback has run
 * from the main loop: destroy, then wait (bounded) for the finalization. */
static void
destroy_and_wait_finalized (gpointer window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_assert_true (hail_test_wait_until (is_null, &weak, 10000));
}

static void
test_dialpad_call_needs_address (void)
{
  GtkWindow *window = NULL;
  GtkWidget *pad = new_dialpad_in_window (&window);
  GtkWidget *call = CHILD (pad, HAIL_TYPE_DIALPAD, "call_button");
  GtkWidget *parsed = CHILD (pad, HAIL_TYPE_DIALPAD, "parsed_label");
  g_autofree char *uri = NULL;

  g_assert_nonnull (CHILD (pad, HAIL_TYPE_DIALPAD, "address_entry"));
  g_assert_false (gtk_widget_get_sensitive (call));

  hail_dialpad_set_text (HAIL_DIALPAD (pad), "bob@");
  g_assert_false (gtk_widget_get_sensitive (call));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (parsed)), ==,
                   "The server after “@” is missing.");

  hail_dialpad_set_text (HAIL_DIALPAD (pad), "bob@127.0.0.1:5070");
  g_assert_true (gtk_widget_get_sensitive (call));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (parsed)), ==, "sip:bob@127.0.0.1:5070");
  uri = hail_dialpad_dup_uri (HAIL_DIALPAD (pad));
  g_assert_cmpstr (uri, ==, "sip:bob@127.0.0.1:5070");

  destroy_window_and_dialpad (window, pad);
}

static void
call_cb (HailDialpad *pad,
         const char  *uri,
         char       **out)
{
  g_free (*out);
  *out = g_strdup (uri);
}

static void
test_dialpad_digits_and_call (void)
{
  GtkWindow *window = NULL;
  GtkWidget *pad = new_dialpad_in_window (&window);
  g_autofree char *called = NULL;

  g_signal_connect (pad, "call", G_CALLBACK (call_cb), &called);
  hail_dialpad_set_domain (HAIL_DIALPAD (pad), "pbx.example.test");
  for (const char *d = "12*#"; *d != '\0'; d++)
    {
      char digit[2] = { *d, '\0' };

      g_assert_true (gtk_widget_activate_action (pad, "dialpad.digit", "s", digit));
    }
  g_assert_cmpstr (hail_dialpad_get_text (HAIL_DIALPAD (pad)), ==, "12*#");
  /* Only the pad's twelve keys are accepted through the action. */
  gtk_widget_activate_action (pad, "dialpad.digit", "s", "x");
  g_assert_cmpstr (hail_dialpad_get_text (HAIL_DIALPAD (pad)), ==, "12*#");
  gtk_widget_activate_action (pad, "dialpad.backspace", NULL);
  gtk_widget_activate_action (pad, "dialpad.backspace", NULL);
  g_assert_cmpstr (hail_dialpad_get_text (HAIL_DIALPAD (pad)), ==, "12");

  g_assert_true (gtk_widget_activate_action (pad, "dialpad.call", NULL));
  g_assert_cmpstr (called, ==, "sip:12@pbx.example.test");

  destroy_window_and_dialpad (window, pad);
}

static void
test_dialpad_unavailable (void)
{
  GtkWindow *window = NULL;
  GtkWidget *pad = new_dialpad_in_window (&window);
  GtkWidget *reason = CHILD (pad, HAIL_TYPE_DIALPAD, "reason_label");
  g_autofree char *called = NULL;

  g_signal_connect (pad, "call", G_CALLBACK (call_cb), &called);
  hail_dialpad_set_text (HAIL_DIALPAD (pad), "sip:bob@example.test");
  g_assert_true (gtk_widget_get_sensitive (CHILD (pad, HAIL_TYPE_DIALPAD, "call_button")));
  g_assert_false (gtk_widget_get_visible (reason));

  hail_dialpad_set_unavailable_reason (HAIL_DIALPAD (pad), "No engine here.");
  g_assert_false (gtk_widget_get_sensitive (CHILD (pad, HAIL_TYPE_DIALPAD, "call_button")));
  g_assert_true (gtk_widget_get_visible (reason));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (reason)), ==, "No engine here.");
  gtk_widget_activate_action (pad, "dialpad.call", NULL);
  g_assert_null (called);

  destroy_window_and_dialpad (window, pad);
}

static void
test_dialpad_phone_needs_domain (void)
{
  GtkWindow *window = NULL;
  GtkWidget *pad = new_dialpad_in_window (&window);

  hail_dialpad_set_text (HAIL_DIALPAD (pad), "tel:+15550100");
  g_assert_false (gtk_widget_get_sensitive (CHILD (pad, HAIL_TYPE_DIALPAD, "call_button")));
  hail_dialpad_set_domain (HAIL_DIALPAD (pad), "example.test");
  g_assert_true (gtk_widget_get_sensitive (CHILD (pad, HAIL_TYPE_DIALPAD, "call_button")));

  destroy_window_and_dialpad (window, pad);
}

static void
test_window_builds (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(HailAccountList) accounts = hail_account_list_new (settings);
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  g_autoptr(HailAccountConfig) config = hail_account_config_new ("sip:alice@example.test");
  HailWindow *win = hail_window_new (NULL, settings, accounts, engine);
  GtkWidget *list = CHILD (win, HAIL_TYPE_WINDOW, "accounts_list");
  GtkWidget *pad = CHILD (win, HAIL_TYPE_WINDOW, "dialpad");
  GtkWidget *stack = CHILD (win, HAIL_TYPE_WINDOW, "content_stack");
  GtkListBoxRow *row;

  g_object_ref_sink (win);
  g_assert_nonnull (CHILD (win, HAIL_TYPE_WINDOW, "leaflet"));
  g_assert_nonnull (CHILD (win, HAIL_TYPE_WINDOW, "search_entry"));
  g_assert_nonnull (CHILD (win, HAIL_TYPE_WINDOW, "history_empty"));
  g_assert_true (HAIL_IS_DIALPAD (pad));
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  g_assert_cmpstr (hail_dialpad_get_unavailable_reason (HAIL_DIALPAD (pad)), ==,
                   "Calling needs the SIP engine, which is not available in this build.");

  hail_account_list_save (accounts, config);
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "sip:alice@example.test");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Not connected: The SIP engine is not available in this build.");
  g_assert_cmpstr (hail_dialpad_get_domain (HAIL_DIALPAD (pad)), ==, "example.test");

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "welcome");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-dialpad", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "dialpad");

  hail_window_dial (win, "sip:bob@example.test");
  g_assert_cmpstr (hail_dialpad_get_text (HAIL_DIALPAD (pad)), ==, "sip:bob@example.test");
  /* The engine is missing: the call stays disabled, with the reason shown. */
  g_assert_false (gtk_widget_get_sensitive (CHILD (pad, HAIL_TYPE_DIALPAD, "call_button")));

  gtk_window_destroy (GTK_WINDOW (win));
  g_assert_finalize_object (win);
}

static void
test_window_search_opens_dialpad (void)
{
  HailWindow *win = g_object_ref_sink (hail_window_new (NULL, NULL, NULL, NULL));
  GtkWidget *search = CHILD (win, HAIL_TYPE_WINDOW, "search_entry");
  GtkWidget *empty = CHILD (win, HAIL_TYPE_WINDOW, "history_empty");
  GtkWidget *pad = CHILD (win, HAIL_TYPE_WINDOW, "dialpad");

  gtk_editable_set_text (GTK_EDITABLE (search), "carol@example.test");
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty)), ==, "No Results");
  g_signal_emit_by_name (search, "activate");
  g_assert_cmpstr (hail_dialpad_get_text (HAIL_DIALPAD (pad)), ==, "carol@example.test");

  gtk_window_destroy (GTK_WINDOW (win));
  g_assert_finalize_object (win);
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), (int) n) != NULL)
    n++;
  return n;
}

static void
test_window_history_search (void)
{
  g_autoptr(GListStore) history = g_list_store_new (TEST_TYPE_ITEM);
  g_autoptr(TestItem) alice = g_object_new (TEST_TYPE_ITEM, "title", "Alice Liddell",
                                            "address", "sip:alice@example.test", NULL);
  g_autoptr(TestItem) bob = g_object_new (TEST_TYPE_ITEM, "title", "Bob",
                                          "address", "sip:bob@example.test", NULL);
  HailWindow *win;
  GtkWidget *search, *list, *stack, *pad;

  g_list_store_append (history, alice);
  g_list_store_append (history, bob);
  win = g_object_ref_sink (g_object_new (HAIL_TYPE_WINDOW, "history", history, NULL));
  search = CHILD (win, HAIL_TYPE_WINDOW, "search_entry");
  list = CHILD (win, HAIL_TYPE_WINDOW, "history_list");
  stack = CHILD (win, HAIL_TYPE_WINDOW, "history_stack");
  pad = CHILD (win, HAIL_TYPE_WINDOW, "dialpad");

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "list");
  g_assert_cmpuint (count_rows (list), ==, 2);

  gtk_editable_set_text (GTK_EDITABLE (search), "LIDD");
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpuint (count_rows (list), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (search), "bob@");
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpuint (count_rows (list), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (search), "nobody");
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.dial", "s",
                                             "sip:bob@example.test"));
  g_assert_cmpstr (hail_dialpad_get_text (HAIL_DIALPAD (pad)), ==, "sip:bob@example.test");

  gtk_window_destroy (GTK_WINDOW (win));
  g_assert_finalize_object (win);
}

typedef struct {
  GtkStack *stack;
} StackWait;

static gboolean
shows_result (gpointer data)
{
  StackWait *w = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (w->stack), "result") == 0;
}

static void
test_wizard_reads_address (void)
{
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  HailAccountWizard *wiz = g_object_ref_sink (hail_account_wizard_new (NULL, engine, NULL));
  GtkWidget *address = WIZ (wiz, "address_row");
  GtkWidget *group = WIZ (wiz, "parsed_group");
  GtkWidget *error = WIZ (wiz, "address_error_label");

  g_assert_false (gtk_widget_get_sensitive (WIZ (wiz, "next_button")));
  g_assert_false (gtk_widget_get_visible (group));

  gtk_editable_set_text (GTK_EDITABLE (address), "sip:alice@host:5070;transport=tcp");
  g_assert_true (gtk_widget_get_sensitive (WIZ (wiz, "next_button")));
  g_assert_true (gtk_widget_get_visible (group));
  g_assert_cmpstr (SUBTITLE (wiz, "user_row"), ==, "alice");
  g_assert_cmpstr (SUBTITLE (wiz, "host_row"), ==, "host");
  g_assert_cmpstr (SUBTITLE (wiz, "port_row"), ==, "5070");
  g_assert_cmpstr (SUBTITLE (wiz, "transport_row"), ==, "TCP");

  gtk_editable_set_text (GTK_EDITABLE (address), "alice@example.test");
  g_assert_cmpstr (SUBTITLE (wiz, "port_row"), ==, "5060 (default for UDP)");
  g_assert_cmpstr (SUBTITLE (wiz, "transport_row"), ==, "UDP (default)");

  gtk_editable_set_text (GTK_EDITABLE (address), "alice:pw@example.test");
  g_assert_false (gtk_widget_get_sensitive (WIZ (wiz, "next_button")));
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error)), ==,
                   "Remove the password from the address and type it in the password field.");

  gtk_window_destroy (GTK_WINDOW (wiz));
  g_assert_finalize_object (wiz);
}

static void
test_wizard_bad_proxy (void)
{
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  HailAccountWizard *wiz = g_object_ref_sink (hail_account_wizard_new (NULL, engine, NULL));

  gtk_editable_set_text (GTK_EDITABLE (WIZ (wiz, "address_row")),
                         "alice@example.test");
  gtk_editable_set_text (GTK_EDITABLE (WIZ (wiz, "proxy_row")),
                         "proxy.example.test:99999");
  g_assert_false (gtk_widget_get_sensitive (WIZ (wiz, "next_button")));
  g_assert_true (gtk_widget_get_visible (WIZ (wiz, "proxy_error_label")));
  gtk_editable_set_text (GTK_EDITABLE (WIZ (wiz, "proxy_row")),
                         "sip:proxy.example.test:5080;lr");
  g_assert_true (gtk_widget_get_sensitive (WIZ (wiz, "next_button")));

  gtk_window_destroy (GTK_WINDOW (wiz));
  g_assert_finalize_object (wiz);
}

/* RFC 4976: a relay that is not msrps keeps Next off and says why; a
 * good one shows in the summary and is saved; emptied, sessions go
 * directly. */
static void
test_wizard_msrp_relay (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(HailAccountList) accounts = hail_account_list_new (settings);
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  g_autoptr(HailAccountConfig) config = hail_account_config_new ("sip:bob@example.test");
  HailAccountWizard *wiz;
  GtkWidget *error;

  hail_account_config_set_msrp_relay (config, "msrps://relay.example.test:2855;tcp");
  hail_account_list_save (accounts, config);
  wiz = g_object_ref_sink (hail_account_wizard_new (accounts, engine, config));
  error = WIZ (wiz, "relay_error_label");
  g_assert_cmpstr (TEXT (wiz, "msrp_relay_row"), ==, "msrps://relay.example.test:2855;tcp");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (WIZ (wiz, "relay_row"))), ==,
                   "msrps://relay.example.test:2855;tcp");
  g_assert_false (gtk_widget_get_visible (error));

  /* Credentials go to a relay over TLS only. */
  gtk_editable_set_text (GTK_EDITABLE (WIZ (wiz, "msrp_relay_row")),
                         "msrp://relay.example.test:2855;tcp");
  g_assert_false (gtk_widget_get_sensitive (WIZ (wiz, "next_button")));
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "msrps://"));

  gtk_editable_set_text (GTK_EDITABLE (WIZ (wiz, "msrp_relay_row")), "  ");
  g_assert_true (gtk_widget_get_sensitive (WIZ (wiz, "next_button")));
  g_assert_false (gtk_widget_get_visible (error));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (WIZ (wiz, "relay_row"))), ==,
                   "None: message sessions go directly");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wiz), "wizard.next", NULL));
  g_assert_null (hail_account_config_get_msrp_relay (config));

  destroy_and_wait_finalized (wiz);
}

static void
test_wizard_saves_and_reports (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(HailAccountList) accounts = hail_account_list_new (settings);
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  HailAccountWizard *wiz = g_object_ref_sink (hail_account_wizard_new (accounts, engine, NULL));
  StackWait w = { GTK_STACK (WIZ (wiz, "check_stack")) };
  GtkWidget *result = WIZ (wiz, "result_page");
  g_autoptr(HailAccountConfig) saved = NULL;
  g_autoptr(HailAccountList) reread = NULL;
  g_autoptr(GVariant) stored = NULL;
  g_autofree char *printed = NULL;

  gtk_editable_set_text (GTK_EDITABLE (WIZ (wiz, "address_row")),
                         " Alice@Example.test ");
  gtk_editable_set_text (GTK_EDITABLE (WIZ (wiz, "password_row")),
                         "pw-not-stored");
  gtk_editable_set_text (GTK_EDITABLE (WIZ (wiz, "display_name_row")),
                         "Alice");
  adw_combo_row_set_selected (ADW_COMBO_ROW (WIZ (wiz, "transport_combo")), 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wiz), "wizard.next", NULL));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (accounts)), ==, 1);
  saved = g_list_model_get_item (G_LIST_MODEL (accounts), 0);
  g_assert_cmpstr (hail_account_config_get_address (saved), ==, "sip:Alice@example.test");
  g_assert_cmpstr (hail_account_config_get_display_name (saved), ==, "Alice");
  g_assert_cmpstr (hail_account_config_get_transport (saved), ==, "tcp");

  /* Written to settings, without the password. */
  stored = g_settings_get_value (settings, "accounts");
  printed = g_variant_print (stored, FALSE);
  g_assert_null (strstr (printed, "pw-not-stored"));
  reread = hail_account_list_new (settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reread)), ==, 1);

  g_assert_true (hail_test_wait_until (shows_result, &w, 10000));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (result)), ==,
                   "Account Saved, Not Checked");
  g_assert_true (gtk_widget_get_visible (WIZ (wiz, "retry_button")));

  /* Edit goes back with every field as typed (UX.md rule 5). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wiz), "wizard.edit", NULL));
  g_assert_cmpstr (TEXT (wiz, "password_row"), ==, "pw-not-stored");

  gtk_window_destroy (GTK_WINDOW (wiz));
  g_assert_finalize_object (wiz);
}

static void
test_wizard_edits_existing (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(HailAccountList) accounts = hail_account_list_new (settings);
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  g_autoptr(HailAccountConfig) config = hail_account_config_new ("sip:bob@example.test");
  HailAccountWizard *wiz;

  hail_account_config_set_proxy (config, "proxy.example.test");
  hail_account_config_set_port (config, 5080);
  hail_account_config_set_ca_file (config, "/etc/hail/provider-ca.pem");
  hail_account_list_save (accounts, config);
  wiz = g_object_ref_sink (hail_account_wizard_new (accounts, engine, config));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (wiz)), ==, "Edit Account");
  g_assert_cmpstr (TEXT (wiz, "proxy_row"), ==, "proxy.example.test");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (WIZ (wiz, "port_spin"))),
                   ==, 5080);
  g_assert_cmpstr (TEXT (wiz, "ca_file_row"), ==, "/etc/hail/provider-ca.pem");

  gtk_editable_set_text (GTK_EDITABLE (WIZ (wiz, "address_row")),
                         "bob@example.org");
  /* Emptied: the system's authorities only. */
  gtk_editable_set_text (GTK_EDITABLE (WIZ (wiz, "ca_file_row")), "  ");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wiz), "wizard.next", NULL));
  /* Rewritten in place, not added. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (accounts)), ==, 1);
  g_assert_cmpstr (hail_account_config_get_address (config), ==, "sip:bob@example.org");
  g_assert_null (hail_account_config_get_ca_file (config));

  destroy_and_wait_finalized (wiz);
}

static void
test_preferences_bind_settings (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  HailPreferencesWindow *prefs = g_object_ref_sink (hail_preferences_window_new (settings));
  GtkWidget *echo = CHILD (prefs, HAIL_TYPE_PREFERENCES_WINDOW, "echo_switch");
  GtkWidget *ring = CHILD (prefs, HAIL_TYPE_PREFERENCES_WINDOW, "ring_tone_row");
  GtkWidget *codecs = CHILD (prefs, HAIL_TYPE_PREFERENCES_WINDOW, "codecs_list");
  GtkWidget *file_size = CHILD (prefs, HAIL_TYPE_PREFERENCES_WINDOW, "file_size_spin");
  g_auto(GStrv) order = NULL;
  GtkListBoxRow *first;

  g_assert_nonnull (CHILD (prefs, HAIL_TYPE_PREFERENCES_WINDOW, "background_switch"));
  g_assert_nonnull (CHILD (prefs, HAIL_TYPE_PREFERENCES_WINDOW, "login_switch"));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (echo)));
  gtk_switch_set_active (GTK_SWITCH (echo), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "echo-cancellation"));

  adw_combo_row_set_selected (ADW_COMBO_ROW (ring), 1);
  g_assert_cmpint (g_settings_get_enum (settings, "ring-tone"), ==, 1);

  /* The file size limit: bytes in the settings, megabytes on screen. */
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (file_size)), ==, 100.0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (file_size), 25.0);
  g_assert_cmpuint (g_settings_get_uint64 (settings, "max-file-size"), ==, 25 * 1024 * 1024);
  g_settings_set_uint64 (settings, "max-file-size", 7 * 1024 * 1024);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (file_size)), ==, 7.0);

  first = gtk_list_box_get_row_at_index (GTK_LIST_BOX (codecs), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==, "Opus");
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (codecs), 3));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.move-codec", "(si)",
                                             "opus", 1));
  order = g_settings_get_strv (settings, "codecs");
  g_assert_cmpstr (order[0], ==, "g722");
  g_assert_cmpstr (order[1], ==, "opus");
  first = gtk_list_box_get_row_at_index (GTK_LIST_BOX (codecs), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==, "G.722");

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_finalize_object (prefs);
}

/* What Copy put on the window's clipboard, read from the local provider. */
static char *
clipboard_text (GtkWidget *widget)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_assert_true (gdk_clipboard_is_local (clipboard));
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (gdk_clipboard_get_content (clipboard), &value,
                                                 &error));
  g_assert_no_error (error);
  return g_value_dup_string (&value);
}

static void
test_preferences_sip_trace (void)
{
  static const char challenge[] = "SIP/2.0 401 Unauthorized\r\nCSeq: 1 REGISTER\r\n\r\n";
  static const char authorized[] =
    "REGISTER sip:example.org SIP/2.0\r\n"
    "Authorization: Digest username=\"alice\", realm=\"example.org\", nonce=\"n1\", "
    "uri=\"sip:example.org\", response=\"0123456789abcdef0123456789abcdef\"\r\n\r\n";
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(HailSipTrace) trace = hail_sip_trace_new (HAIL_SIP_TRACE_MAX_ENTRIES);
  HailPreferencesWindow *prefs = g_object_ref_sink (hail_preferences_window_new (settings));
  GtkWidget *page = CHILD (prefs, HAIL_TYPE_PREFERENCES_WINDOW, "trace_page");
  GtkWidget *toggle = CHILD (prefs, HAIL_TYPE_PREFERENCES_WINDOW, "trace_switch");
  GtkWidget *list = CHILD (prefs, HAIL_TYPE_PREFERENCES_WINDOW, "trace_list");
  GtkWidget *text = CHILD (prefs, HAIL_TYPE_PREFERENCES_WINDOW, "trace_text");
  GtkSelectionModel *selection;
  g_autofree char *shown = NULL;
  g_autofree char *copied_one = NULL;
  g_autofree char *copied_all = NULL;
  GtkTextIter start, end;

  /* Hidden until the app hands over its engine's trace. */
  g_assert_false (gtk_widget_get_visible (page));
  hail_preferences_window_set_sip_trace (prefs, trace);
  g_assert_true (gtk_widget_get_visible (page));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (text)));
  g_assert_true (gtk_text_view_get_monospace (GTK_TEXT_VIEW (text)));

  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  g_assert_true (hail_sip_trace_get_enabled (trace));
  hail_sip_trace_add (trace, "sip:alice@example.org", FALSE, "UDP", "192.0.2.1:5060",
                      challenge, strlen (challenge));
  hail_sip_trace_add (trace, "sip:alice@example.org", TRUE, "UDP", "192.0.2.1:5060",
                      authorized, strlen (authorized));
  selection = gtk_list_view_get_model (GTK_LIST_VIEW (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 2);

  /* Nothing selected: Copy takes every message. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "trace.copy", NULL));
  copied_all = clipboard_text (GTK_WIDGET (prefs));
  g_assert_nonnull (strstr (copied_all, "SIP/2.0 401 Unauthorized"));
  g_assert_nonnull (strstr (copied_all, "REGISTER sip:example.org"));

  g_assert_true (gtk_selection_model_select_item (selection, 1, TRUE));
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text)), &start, &end);
  shown = gtk_text_iter_get_text (&start, &end);
  g_assert_nonnull (strstr (shown, "username=\"alice\""));
  g_assert_null (strstr (shown, "0123456789abcdef"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "trace.copy", NULL));
  copied_one = clipboard_text (GTK_WIDGET (prefs));
  g_assert_cmpstr (copied_one, ==, shown);
  g_assert_null (strstr (copied_one, "SIP/2.0 401"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "trace.clear", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (trace)), ==, 0);
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  g_assert_false (hail_sip_trace_get_enabled (trace));

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_finalize_object (prefs);
}

/* The index of the first entry of @row containing @text, or -1. */
static int
row_index_of (GtkWidget  *row,
              const char *text)
{
  GListModel *names = adw_combo_row_get_model (ADW_COMBO_ROW (row));

  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (strstr (gtk_string_list_get_string (GTK_STRING_LIST (names), i), text) != NULL)
      return (int) i;
  return -1;
}

static gboolean
lists_null_sink (gpointer data)
{
  return row_index_of (data, "Null Output") > 0;
}

static gboolean
lists_extra_sink (gpointer data)
{
  return row_index_of (data, "Hail-Extra-Sink") > 0;
}

static gboolean
lacks_extra_sink (gpointer data)
{
  return row_index_of (data, "Hail-Extra-Sink") < 0;
}

static char *
pactl (const char *args)
{
  g_autofree char *command = g_strdup_printf ("pactl %s", args);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (command, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  return g_strstrip (g_steal_pointer (&out));
}

/* Under tests/run-all.sh's PulseAudio null sink: the rows list it and its
 * monitor after "Default", and the choice is kept. */
static void
test_preferences_audio_devices (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  HailPreferencesWindow *prefs = g_object_ref_sink (hail_preferences_window_new (settings));
  GtkWidget *input = CHILD (prefs, HAIL_TYPE_PREFERENCES_WINDOW, "input_row");
  GtkWidget *output = CHILD (prefs, HAIL_TYPE_PREFERENCES_WINDOW, "output_row");
  g_autofree char *chosen = NULL;
  g_autofree char *pulse = g_build_filename (g_get_user_runtime_dir (), "pulse", "native",
                                             NULL);
  g_autofree char *pactl_path = g_find_program_in_path ("pactl");
  int pos;

  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (
                     adw_combo_row_get_model (ADW_COMBO_ROW (output))), 0), ==, "Default");
  g_assert_cmpstr (hail_device_row_get_chosen (HAIL_DEVICE_ROW (output)), ==, "");
  if (!g_file_test (pulse, G_FILE_TEST_EXISTS) ||
      !hail_test_wait_until (lists_null_sink, output, 10000))
    {
      g_test_skip ("no PulseAudio null sink (tests/run-all.sh starts one)");
      gtk_window_destroy (GTK_WINDOW (prefs));
      g_assert_finalize_object (prefs);
      return;
    }
  g_assert_cmpint (row_index_of (input, "Monitor of Null Output"), >, 0);

  pos = row_index_of (output, "Null Output");
  adw_combo_row_set_selected (ADW_COMBO_ROW (output), (guint) pos);
  chosen = g_settings_get_string (settings, "output-device");
  g_assert_cmpstr (chosen, !=, "");
  g_assert_cmpstr (chosen, ==, hail_device_row_get_chosen (HAIL_DEVICE_ROW (output)));

  /* A sink plugged in while the window is open appears, and goes. */
  if (pactl_path != NULL)
    {
      g_autofree char *module = pactl ("load-module module-null-sink sink_name=hailextra "
                                       "sink_properties=device.description=Hail-Extra-Sink");
      g_autofree char *unload = g_strdup_printf ("unload-module %s", module);
      g_autofree char *ignored = NULL;

      g_assert_true (hail_test_wait_until (lists_extra_sink, output, 10000));
      g_assert_cmpstr (hail_device_row_get_chosen (HAIL_DEVICE_ROW (output)), ==, chosen);
      ignored = pactl (unload);
      g_assert_true (hail_test_wait_until (lacks_extra_sink, output, 10000));
      g_assert_cmpstr (hail_device_row_get_chosen (HAIL_DEVICE_ROW (output)), ==, chosen);
    }
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_finalize_object (prefs);

  /* A new window shows the choice; a device that went away stays listed. */
  g_settings_set_string (settings, "input-device", "unplugged-headset");
  prefs = g_object_ref_sink (hail_preferences_window_new (settings));
  output = CHILD (prefs, HAIL_TYPE_PREFERENCES_WINDOW, "output_row");
  input = CHILD (prefs, HAIL_TYPE_PREFERENCES_WINDOW, "input_row");
  g_assert_true (hail_test_wait_until (lists_null_sink, output, 10000));
  g_assert_cmpstr (hail_device_row_get_chosen (HAIL_DEVICE_ROW (output)), ==, chosen);
  g_assert_cmpstr (hail_device_row_get_chosen (HAIL_DEVICE_ROW (input)), ==,
                   "unplugged-headset");
  g_assert_cmpint (row_index_of (input, "unplugged-headset (not connected)"), >, 0);
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_finalize_object (prefs);
}

static void
test_shortcuts_window_builds (void)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource (RESOURCE_PREFIX "/hail-shortcuts-window.ui");
  GObject *window = gtk_builder_get_object (builder, "shortcuts_window");

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_account_list_skips_bad_entries (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(HailAccountList) accounts = NULL;
  g_autoptr(HailAccountConfig) config = NULL;
  GVariant *value;

  /* An entry without an address, and one with a wrongly typed port. */
  value = g_variant_parse (G_VARIANT_TYPE ("aa{sv}"),
                           "[{'display-name': <'x'>}, "
                           "{'address': <'sip:a@example.test'>, 'port': <'5060'>}]",
                           NULL, NULL, NULL);
  g_settings_set_value (settings, "accounts", value);
  accounts = hail_account_list_new (settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (accounts)), ==, 1);
  config = g_list_model_get_item (G_LIST_MODEL (accounts), 0);
  g_assert_cmpuint (hail_account_config_get_port (config), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp = app_test_init_homes (&argc, &argv, "hail-test-templates-XXXXXX");

  if (tmp == NULL)
    return 0;

  g_test_add_func ("/app/dialpad/call-needs-address", test_dialpad_call_needs_address);
  g_test_add_func ("/app/dialpad/digits-and-call", test_dialpad_digits_and_call);
  g_test_add_func ("/app/dialpad/unavailable-reason", test_dialpad_unavailable);
  g_test_add_func ("/app/dialpad/phone-needs-domain", test_dialpad_phone_needs_domain);
  g_test_add_func ("/app/window/builds", test_window_builds);
  g_test_add_func ("/app/window/search-opens-dialpad", test_window_search_opens_dialpad);
  g_test_add_func ("/app/window/history-search", test_window_history_search);
  g_test_add_func ("/app/wizard/reads-address", test_wizard_reads_address);
  g_test_add_func ("/app/wizard/bad-proxy", test_wizard_bad_proxy);
  g_test_add_func ("/app/wizard/msrp-relay", test_wizard_msrp_relay);
  g_test_add_func ("/app/wizard/saves-and-reports", test_wizard_saves_and_reports);
  g_test_add_func ("/app/wizard/edits-existing", test_wizard_edits_existing);
  g_test_add_func ("/app/preferences/bind-settings", test_preferences_bind_settings);
  g_test_add_func ("/app/preferences/audio-devices", test_preferences_audio_devices);
  g_test_add_func ("/app/preferences/sip-trace", test_preferences_sip_trace);
  g_test_add_func ("/app/shortcuts/builds", test_shortcuts_window_builds);
  g_test_add_func ("/app/account-list/skips-bad-entries", test_account_list_skips_bad_entries);

  return g_test_run ();
}
