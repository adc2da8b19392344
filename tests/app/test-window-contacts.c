/* test-window-contacts.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window's contacts and accounts as a user handles them (issue
 * #7): "Import Contacts" through its file chooser brings a vCard's
 * contacts into the list, with the photo the card carries as the avatar;
 * with several accounts, each one's switch turns that account alone on or
 * off, and the choice is kept in GSettings.
 */
#include "config.h"

#include "hail-account-list.h"
#include "hail-offline-engine.h"
#include "hail-store.h"
#include "hail-test-util.h"
#include "hail-window.h"
#include "app-test-util.h"

#define WAIT_MS 10000
#define CHILD(w, id) \
  GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (w), HAIL_TYPE_WINDOW, id))

static gboolean
chooser_shown (gpointer data)
{
  return (*(GtkWidget **) data = app_test_shown_toplevel (GTK_TYPE_FILE_CHOOSER)) != NULL;
}

/* The chooser selects a file once it has listed its folder. */
static gboolean
file_selected (gpointer chooser)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);

  return file != NULL;
}

static gboolean
has_rows (gpointer list)
{
  return gtk_list_box_get_row_at_index (list, 0) != NULL;
}

/* A vCard 4.0 card whose PHOTO is an 8×8 PNG, as phones export them. */
static char *
vcard_with_photo (void)
{
  static guchar pixels[8 * 8 * 3];
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autofree char *base64 = NULL;

  for (guint i = 0; i < sizeof pixels; i += 3)
    pixels[i] = 0xc0;
  data = g_bytes_new_static (pixels, sizeof pixels);
  texture = gdk_memory_texture_new (8, 8, GDK_MEMORY_R8G8B8, data, 8 * 3);
  png = gdk_texture_save_to_png_bytes (texture);
  base64 = g_base64_encode (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  return g_strdup_printf ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Carol Jones\r\n"
                          "IMPP:sip:carol@example.test\r\n"
                          "PHOTO:data:image/png;base64,%s\r\nEND:VCARD\r\n", base64);
}

static void
store_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
test_import_with_avatar (void)
{
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), "contacts-test.db", NULL);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "carol.vcf", NULL);
  g_autofree char *card = vcard_with_photo ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  g_autoptr(GListModel) conversations = NULL;
  g_autoptr(GAsyncResult) closed = NULL;
  g_autoptr(GError) error = NULL;
  HailStore *store = hail_store_new_sync (db, &error);
  HailWindow *window;
  GtkWidget *contacts, *chooser = NULL, *avatar;
  GtkListBoxRow *row;
  gpointer weak;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, card, -1, &error));
  conversations = hail_store_list_conversations_sync (store, &error);
  g_assert_no_error (error);
  window = g_object_ref_sink (hail_window_new (NULL, NULL, NULL, engine));
  hail_window_set_store (window, store, conversations);
  contacts = CHILD (window, "contacts_list");
  g_assert_false (has_rows (contacts));

  /* The menu's Import Contacts, then the file chosen and Import pressed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.import-contacts", NULL));
  g_assert_true (hail_test_wait_until (chooser_shown, &chooser, WAIT_MS));
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, &error));
  g_assert_no_error (error);
  g_assert_true (hail_test_wait_until (file_selected, chooser, WAIT_MS));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);

  g_assert_true (hail_test_wait_until (has_rows, contacts, WAIT_MS));
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (contacts), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Carol Jones");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "sip:carol@example.test");
  avatar = app_test_find_widget (GTK_WIDGET (row), ADW_TYPE_AVATAR);
  g_assert_nonnull (avatar);
  g_assert_nonnull (adw_avatar_get_custom_image (ADW_AVATAR (avatar)));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (
                     adw_avatar_get_custom_image (ADW_AVATAR (avatar))), ==, 8);

  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_assert_true (hail_test_wait_until (is_null, &weak, WAIT_MS));
  hail_store_close_async (store, NULL, store_done_cb, &closed);
  g_assert_true (hail_test_wait_until (is_set, &closed, WAIT_MS));
  g_assert_true (hail_store_close_finish (store, closed, &error));
  g_assert_no_error (error);
  g_object_unref (store);
}

static GtkSwitch *
account_switch (GtkWidget *accounts,
                int        index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (accounts), index);

  g_assert_nonnull (row);
  return GTK_SWITCH (app_test_find_widget (GTK_WIDGET (row), GTK_TYPE_SWITCH));
}

static gboolean
enabled_in_settings (GSettings  *settings,
                     const char *address)
{
  g_autoptr(HailAccountList) reread = hail_account_list_new (settings);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (reread)); i++)
    {
      g_autoptr(HailAccountConfig) config = g_list_model_get_item (G_LIST_MODEL (reread), i);

      if (g_strcmp0 (hail_account_config_get_address (config), address) == 0)
        return hail_account_config_get_enabled (config);
    }
  g_error ("%s is not in GSettings", address);
}

typedef struct {
  GSettings  *settings;
  const char *address;
} Check;

static gboolean
disabled_in_settings (gpointer data)
{
  Check *check = data;

  return !enabled_in_settings (check->settings, check->address);
}

static gboolean
enabled_in_settings_cb (gpointer data)
{
  return !disabled_in_settings (data);
}

static void
test_accounts_enabled_each (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(HailAccountList) accounts = NULL;
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  g_autoptr(HailAccountConfig) alice = hail_account_config_new ("sip:alice@example.test");
  g_autoptr(HailAccountConfig) bob = hail_account_config_new ("sip:bob@example.org");
  Check check = { NULL, NULL };
  HailWindow *window;
  GtkWidget *list;

  g_settings_reset (settings, "accounts");
  accounts = hail_account_list_new (settings);
  hail_account_list_save (accounts, alice);
  hail_account_list_save (accounts, bob);
  check.settings = settings;
  window = g_object_ref_sink (hail_window_new (NULL, settings, accounts, engine));
  list = CHILD (window, "accounts_list");
  g_assert_true (gtk_switch_get_active (account_switch (list, 0)));
  g_assert_true (gtk_switch_get_active (account_switch (list, 1)));

  /* Bob's switch off: Bob alone is off, in the list and in GSettings.
   * The switch's row is replaced as the change is saved, after the switch
   * has finished its own work. */
  gtk_switch_set_active (account_switch (list, 1), FALSE);
  check.address = "sip:bob@example.org";
  g_assert_true (hail_test_wait_until (disabled_in_settings, &check, WAIT_MS));
  g_assert_true (enabled_in_settings (settings, "sip:alice@example.test"));
  g_assert_true (gtk_switch_get_active (account_switch (list, 0)));
  g_assert_false (gtk_switch_get_active (account_switch (list, 1)));

  /* Alice off too, then Bob on again. */
  gtk_switch_set_active (account_switch (list, 0), FALSE);
  check.address = "sip:alice@example.test";
  g_assert_true (hail_test_wait_until (disabled_in_settings, &check, WAIT_MS));
  gtk_switch_set_active (account_switch (list, 1), TRUE);
  check.address = "sip:bob@example.org";
  g_assert_true (hail_test_wait_until (enabled_in_settings_cb, &check, WAIT_MS));
  g_assert_false (enabled_in_settings (settings, "sip:alice@example.test"));
  g_assert_false (gtk_switch_get_active (account_switch (list, 0)));
  g_assert_true (gtk_switch_get_active (account_switch (list, 1)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_settings_reset (settings, "accounts");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp = NULL;

  tmp = g_dir_make_tmp ("hail-test-window-contacts-XXXXXX", NULL);
  g_assert_nonnull (tmp);
  g_setenv ("XDG_DATA_HOME", tmp, TRUE);
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/app/window/import-vcard-with-avatar", test_import_with_avatar);
  g_test_add_func ("/app/window/accounts-enabled-each", test_accounts_enabled_each);

  return g_test_run ();
}
