/* test-shortcuts.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The shortcuts window lists every key Hail binds (issue #7: "every
 * action reachable; shortcuts window"): the application's accelerators
 * and the key bindings of the main window, the wizard, the chat window and
 * the call window, read from the real objects, so that a key added
 * without its row in hail-shortcuts-window.ui fails here. A keypad key
 * counts as the key it duplicates; Escape closing a dialog is the
 * platform's convention, not listed.
 */
#include "config.h"

#include "hail-account-list.h"
#include "hail-account-wizard.h"
#include "hail-application.h"
#include "hail-call-window.h"
#include "hail-chat-window.h"
#include "hail-offline-engine.h"
#include "hail-window.h"
#include "hail-test-util.h"
#include "test-call.h"

#include "app-test-util.h"

/* Keys that only duplicate another key: the shortcuts window shows the
 * main one. */
static guint
main_keyval (guint keyval)
{
  if (keyval >= GDK_KEY_KP_0 && keyval <= GDK_KEY_KP_9)
    return GDK_KEY_0 + (keyval - GDK_KEY_KP_0);
  switch (keyval)
    {
    case GDK_KEY_KP_Enter:
      return GDK_KEY_Return;
    case GDK_KEY_KP_Multiply:
      return GDK_KEY_asterisk;
    default:
      return keyval;
    }
}

static char *
key_name (guint           keyval,
          GdkModifierType modifiers)
{
  return gtk_accelerator_name (main_keyval (gdk_keyval_to_lower (keyval)),
                               modifiers & gtk_accelerator_get_default_mod_mask ());
}

/* Every key the shortcuts window shows, normalised; "0...9" ranges
 * expanded. */
static GHashTable *
listed_keys (void)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource (RESOURCE_PREFIX "/hail-shortcuts-window.ui");
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GSList *objects = gtk_builder_get_objects (builder);

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *accelerator = NULL;
      g_auto(GStrv) tokens = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "accelerator", &accelerator, NULL);
      tokens = g_strsplit (accelerator != NULL ? accelerator : "", " ", -1);
      for (guint i = 0; tokens[i] != NULL; i++)
        {
          g_auto(GStrv) range = g_strsplit (tokens[i], "...", 2);
          guint first, last;
          GdkModifierType mods, last_mods;

          if (tokens[i][0] == '\0')
            continue;
          g_assert_true (gtk_accelerator_parse (range[0], &first, &mods));
          last = first;
          last_mods = mods;
          if (range[1] != NULL)
            g_assert_true (gtk_accelerator_parse (range[1], &last, &last_mods));
          for (guint k = first; k <= last; k++)
            g_hash_table_add (keys, key_name (k, mods));
        }
    }
  g_slist_free (objects);
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window")));
  return keys;
}

static void
assert_listed (GHashTable *listed,
               const char *where,
               const char *key)
{
  if (!g_hash_table_contains (listed, key))
    g_error ("%s binds %s, which the shortcuts window does not list", where, key);
}

/* The keys of a widget's class bindings (gtk_widget_class_add_binding_*),
 * read through its shortcut controllers, parent classes' included. */
static GPtrArray *
class_keys (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          g_autofree char *key = NULL;
          guint keyval;

          if (!GTK_IS_KEYVAL_TRIGGER (trigger))
            continue;
          keyval = gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger));
          key = key_name (keyval, gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)));
          g_ptr_array_add (keys, g_steal_pointer (&key));
        }
    }
  return keys;
}

/* Hail's own keys: those of @widget's class that an instance of the
 * toolkit class it derives from (@toolkit_type) does not have, such as
 * GtkWindow's F10 for the primary menu. */
static guint
assert_bindings_listed (GtkWidget  *widget,
                        GType       toolkit_type,
                        GHashTable *listed)
{
  g_autoptr(GPtrArray) keys = class_keys (widget);
  GtkWidget *plain = g_object_ref_sink (g_object_new (toolkit_type, NULL));
  g_autoptr(GPtrArray) inherited = class_keys (plain);
  guint n = 0;

  gtk_window_destroy (GTK_WINDOW (plain));
  g_object_unref (plain);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);

      if (g_ptr_array_find_with_equal_func (inherited, key, g_str_equal, NULL) ||
          g_strcmp0 (key, "Escape") == 0)
        continue;
      assert_listed (listed, G_OBJECT_TYPE_NAME (widget), key);
      n++;
    }
  return n;
}

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "accounts");
  return settings;
}

static void
test_application_accels (void)
{
  g_autoptr(GHashTable) listed = listed_keys ();
  g_autoptr(HailApplication) app = hail_application_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) actions = NULL;
  guint n = 0;

  /* Registered (startup ran, the accelerators are set) but not run: no
   * window, no engine start. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          guint keyval;
          GdkModifierType mods;
          g_autofree char *key = NULL;

          g_assert_true (gtk_accelerator_parse (accels[j], &keyval, &mods));
          key = key_name (keyval, mods);
          assert_listed (listed, actions[i], key);
          n++;
        }
    }
  g_assert_cmpuint (n, >=, 4);
}

static void
test_main_window (void)
{
  g_autoptr(GHashTable) listed = listed_keys ();
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(HailAccountList) accounts = hail_account_list_new (settings);
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  HailWindow *win = g_object_ref_sink (hail_window_new (NULL, settings, accounts, engine));

  g_assert_cmpuint (assert_bindings_listed (GTK_WIDGET (win), ADW_TYPE_APPLICATION_WINDOW,
                                            listed), >=, 3);
  gtk_window_destroy (GTK_WINDOW (win));
  g_assert_finalize_object (win);
}

static void
test_wizard (void)
{
  g_autoptr(GHashTable) listed = listed_keys ();
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  HailAccountWizard *wiz = g_object_ref_sink (hail_account_wizard_new (NULL, engine, NULL));

  assert_bindings_listed (GTK_WIDGET (wiz), ADW_TYPE_WINDOW, listed);
  gtk_window_destroy (GTK_WINDOW (wiz));
  g_assert_finalize_object (wiz);
}

static void
test_chat_window (void)
{
  g_autoptr(GHashTable) listed = listed_keys ();
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  HailChatWindow *win = g_object_ref_sink (hail_chat_window_new (NULL, engine,
                                                                 "sip:alice@example.test",
                                                                 "sip:bob@example.test",
                                                                 NULL, 0));

  g_assert_cmpuint (assert_bindings_listed (GTK_WIDGET (win), ADW_TYPE_WINDOW, listed), >=, 2);
  gtk_window_destroy (GTK_WINDOW (win));
  g_assert_finalize_object (win);
}

/* Control keys and the typed digits that send keypad tones. */
static void
test_call_window (void)
{
  g_autoptr(GHashTable) listed = listed_keys ();
  g_autoptr(TestCall) call = test_call_new ("c1", "sip:bob@example.test", "Bob",
                                            HAIL_CALL_VIEW_STATE_ACTIVE);
  HailCallWindow *win = g_object_ref_sink (hail_call_window_new (HAIL_CALL_VIEW (call), NULL));

  g_assert_cmpuint (assert_bindings_listed (GTK_WIDGET (win), ADW_TYPE_WINDOW, listed), >=,
                    6 + 12);
  gtk_window_destroy (GTK_WINDOW (win));
  g_assert_finalize_object (win);
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/* Shown, every row lays out without a toolkit warning (fatal here). */
static void
test_window_shows (void)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource (RESOURCE_PREFIX "/hail-shortcuts-window.ui");
  GtkWindow *window = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));

  gtk_window_present (window);
  g_assert_true (hail_test_wait_until (is_mapped, window, 10000));
  gtk_window_destroy (window);
}

/* The section's groups in order, depth first. */
static void
collect_groups (GtkWidget *widget,
                GPtrArray *groups)
{
  if (GTK_IS_SHORTCUTS_GROUP (widget))
    {
      g_ptr_array_add (groups, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_groups (child, groups);
}

/* GTK 4.8 warns that a label "reported min width -3" (fatal here and in
 * app-a11y) once the groups need a third column, that is a second page
 * (seen at max-height 10 with the chat group's fourth row). The section
 * fills columns as GTK does: a group is never split, and starts a new
 * column when it would pass max-height. One page of two columns must
 * hold them all, the chat group's Ctrl+O row included. */
static void
test_one_page (void)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource (RESOURCE_PREFIX "/hail-shortcuts-window.ui");
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();
  GSList *objects = gtk_builder_get_objects (builder);
  GtkWidget *section = NULL;
  GtkWidget *send_file = NULL;
  guint max_height = 0, n_rows = 0, n_columns = 0;

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *accelerator = NULL;

      if (GTK_IS_SHORTCUTS_SECTION (l->data))
        section = l->data;
      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "accelerator", &accelerator, NULL);
      if (g_strcmp0 (accelerator, "<Control>o") == 0)
        send_file = l->data;
    }
  g_slist_free (objects);
  g_assert_nonnull (section);
  g_assert_nonnull (send_file);
  g_assert_nonnull (gtk_widget_get_ancestor (send_file, GTK_TYPE_SHORTCUTS_GROUP));
  g_object_get (section, "max-height", &max_height, NULL);
  collect_groups (section, groups);
  g_assert_cmpuint (groups->len, ==, 4);
  g_assert_true (gtk_widget_get_ancestor (send_file, GTK_TYPE_SHORTCUTS_GROUP) ==
                 g_ptr_array_index (groups, 2));
  for (guint i = 0; i < groups->len; i++)
    {
      guint height = 0;

      g_object_get (g_ptr_array_index (groups, i), "height", &height, NULL);
      if (n_rows == 0 || n_rows + height > max_height)
        {
          n_columns++;
          n_rows = 0;
        }
      n_rows += height;
    }
  g_assert_cmpuint (n_columns, <=, 2);
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window")));
}

int
main (int   argc,
      char *argv[])
{
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/app/shortcuts/application-accels-listed", test_application_accels);
  g_test_add_func ("/app/shortcuts/main-window-keys-listed", test_main_window);
  g_test_add_func ("/app/shortcuts/wizard-keys-listed", test_wizard);
  g_test_add_func ("/app/shortcuts/chat-window-keys-listed", test_chat_window);
  g_test_add_func ("/app/shortcuts/call-window-keys-listed", test_call_window);
  g_test_add_func ("/app/shortcuts/window-shows", test_window_shows);
  g_test_add_func ("/app/shortcuts/one-page", test_one_page);

  return g_test_run ();
}
