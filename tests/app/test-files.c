/* test-files.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files in the chat window (issue #8): the file row shows each state of a
 * transfer with the buttons that state allows, the window checks the size
 * limit before it asks the engine, and asks about offers from strangers
 * until they are decided, here or elsewhere.
 */
#include "config.h"

#include "hail-chat-window.h"
#include "hail-file-row.h"
#include "hail-message-row.h"
#include "hail-preferences-window.h"
#include "hail-file-actions.h"
#include "hail-test-util.h"
#include "test-file-engine.h"
#include "test-offer.h"
#include "test-transfer.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#define CHILD(w, type, id) \
  GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (w), type, id))
#define ROW(w, id) CHILD (w, HAIL_TYPE_FILE_ROW, id)
#define CHAT(w, id) CHILD (w, HAIL_TYPE_CHAT_WINDOW, id)

static const char *
row_text (GtkWidget  *row,
          const char *id)
{
  return gtk_label_get_text (GTK_LABEL (ROW (row, id)));
}

static gboolean
row_shows (GtkWidget  *row,
           const char *id)
{
  return gtk_widget_get_visible (ROW (row, id));
}

static gboolean
is_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* A retry in flight holds the row until its callback ran. */
static void
finalize_row (GtkWidget *row)
{
  gpointer weak = row;

  g_object_add_weak_pointer (G_OBJECT (row), &weak);
  g_object_unref (row);
  g_assert_true (hail_test_wait_until (is_gone, &weak, 10000));
}

static TestTransfer *
report_transfer (gboolean outgoing)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/tmp/report.pdf");

  return test_transfer_new (7, "sip:bob@example.test", file, 5000000, outgoing);
}

/* Sending: the bytes the peer has of the size, a bar, and Cancel. */
static void
test_row_progress (void)
{
  g_autoptr(TestTransfer) transfer = report_transfer (TRUE);
  GtkWidget *row = g_object_ref_sink (hail_file_row_new (NULL, HAIL_TRANSFER_VIEW (transfer)));

  g_assert_cmpstr (row_text (row, "name_label"), ==, "report.pdf");
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Waiting for the other side…");
  g_assert_true (row_shows (row, "progress_bar"));

  test_transfer_progress (transfer, 1200000, HAIL_TRANSFER_VIEW_STATE_ACTIVE, NULL);
  g_assert_cmpstr (row_text (row, "size_label"), ==, "1.2\u00a0MB of 5.0\u00a0MB");
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Sending…");
  g_assert_cmpfloat_with_epsilon (
    gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (ROW (row, "progress_bar"))), 0.24, 1e-9);
  g_assert_true (row_shows (row, "cancel_button"));
  g_assert_false (row_shows (row, "retry_button"));
  g_assert_false (row_shows (row, "open_button"));

  g_signal_emit_by_name (ROW (row, "cancel_button"), "clicked");
  g_assert_cmpuint (transfer->cancels, ==, 1);
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Cancelled");
  g_assert_false (row_shows (row, "progress_bar"));
  g_assert_false (row_shows (row, "cancel_button"));
  g_assert_cmpstr (row_text (row, "size_label"), ==, "5.0\u00a0MB");

  /* A cancelled file can be sent again, from where it stopped. */
  g_assert_true (row_shows (row, "retry_button"));
  g_signal_emit_by_name (ROW (row, "retry_button"), "clicked");
  g_assert_cmpuint (transfer->retries, ==, 1);
  g_assert_true (row_shows (row, "progress_bar"));
  g_assert_cmpstr (row_text (row, "size_label"), ==, "1.2\u00a0MB of 5.0\u00a0MB");

  test_transfer_progress (transfer, 5000000, HAIL_TRANSFER_VIEW_STATE_DONE, NULL);
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Delivered");
  g_assert_false (row_shows (row, "retry_button"));
  /* Open is for what arrived here; the sender has the file already. */
  g_assert_false (row_shows (row, "open_button"));
  finalize_row (row);
}

static void
test_row_failed_reason (void)
{
  g_autoptr(TestTransfer) transfer = report_transfer (TRUE);
  GtkWidget *row = g_object_ref_sink (hail_file_row_new (NULL, HAIL_TRANSFER_VIEW (transfer)));

  test_transfer_progress (transfer, 300, HAIL_TRANSFER_VIEW_STATE_FAILED,
                          "the other side stopped answering");
  g_assert_cmpstr (row_text (row, "state_label"), ==,
                   "Failed: the other side stopped answering");
  g_assert_true (gtk_widget_has_css_class (ROW (row, "state_label"), "error"));
  g_assert_true (row_shows (row, "retry_button"));
  g_assert_false (row_shows (row, "cancel_button"));

  /* Declined is an answer, not a loss: nothing to retry. */
  test_transfer_progress (transfer, 0, HAIL_TRANSFER_VIEW_STATE_DECLINED, "declined");
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Declined by the other side");
  g_assert_false (gtk_widget_has_css_class (ROW (row, "state_label"), "error"));
  g_assert_false (row_shows (row, "retry_button"));
  finalize_row (row);
}

static void
test_row_incoming_done (void)
{
  g_autoptr(TestTransfer) transfer = report_transfer (FALSE);
  GtkWidget *row = g_object_ref_sink (hail_file_row_new (NULL, HAIL_TRANSFER_VIEW (transfer)));

  test_transfer_progress (transfer, 2500000, HAIL_TRANSFER_VIEW_STATE_ACTIVE, NULL);
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Receiving…");
  g_assert_cmpint (gtk_widget_get_halign (ROW (row, "bubble")), ==, GTK_ALIGN_START);
  g_assert_false (row_shows (row, "open_button"));
  test_transfer_progress (transfer, 5000000, HAIL_TRANSFER_VIEW_STATE_DONE, NULL);
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Received");
  g_assert_true (row_shows (row, "open_button"));
  g_assert_true (row_shows (row, "folder_button"));
  g_assert_false (row_shows (row, "retry_button"));
  g_assert_false (row_shows (row, "cancel_button"));
  finalize_row (row);
}

/* A file of an earlier run: what the store kept, with no live transfer. */
static void
test_row_stored (void)
{
  g_autoptr(HailStoreMessage) received = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                                                       "account", "alice@example.test",
                                                       "remote", "sip:bob@example.test",
                                                       "direction", HAIL_STORE_DIRECTION_IN,
                                                       "body", "photo.jpg",
                                                       "mode", HAIL_STORE_MESSAGE_MODE_SESSION,
                                                       "file-name", "photo.jpg",
                                                       "file-size", (gint64) 2300000,
                                                       "file-uri", "file:///tmp/photo.jpg",
                                                       NULL);
  g_autoptr(HailStoreMessage) unfinished = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                                                         "account", "alice@example.test",
                                                         "remote", "sip:bob@example.test",
                                                         "direction", HAIL_STORE_DIRECTION_OUT,
                                                         "body", "report.pdf",
                                                         "state", HAIL_STORE_MESSAGE_STATE_SENDING,
                                                         "mode", HAIL_STORE_MESSAGE_MODE_SESSION,
                                                         "file-name", "report.pdf",
                                                         "file-size", (gint64) 5000000,
                                                         "file-uri", "file:///tmp/report.pdf",
                                                         NULL);
  GtkWidget *row = g_object_ref_sink (hail_file_row_new (received, NULL));

  g_assert_cmpstr (row_text (row, "name_label"), ==, "photo.jpg");
  g_assert_cmpstr (row_text (row, "size_label"), ==, "2.3\u00a0MB");
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Received");
  g_assert_true (row_shows (row, "open_button"));
  g_assert_true (row_shows (row, "folder_button"));
  g_assert_false (row_shows (row, "progress_bar"));
  finalize_row (row);

  /* Still "sending" in the store: the run that sent it is over. */
  row = g_object_ref_sink (hail_file_row_new (unfinished, NULL));
  g_assert_cmpstr (row_text (row, "state_label"), ==,
                   "Failed: Hail was closed before it finished");
  g_assert_true (row_shows (row, "retry_button"));
  g_assert_false (row_shows (row, "cancel_button"));
  g_assert_false (row_shows (row, "open_button"));
  finalize_row (row);
}

static void
test_progress_text (void)
{
  g_autofree char *unknown = hail_transfer_view_format_progress (1200000, 0);
  g_autofree char *both = hail_transfer_view_format_progress (0, 2300000);

  g_assert_cmpstr (unknown, ==, "1.2\u00a0MB");
  g_assert_cmpstr (both, ==, "0 bytes of 2.3\u00a0MB");
}


static void
destroy_chat (HailChatWindow *window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_assert_true (hail_test_wait_until (is_gone, &weak, 10000));
}

static gboolean
offer_shown (HailChatWindow *window)
{
  return gtk_widget_get_visible (CHAT (window, "offer_revealer")) &&
         gtk_revealer_get_reveal_child (GTK_REVEALER (CHAT (window, "offer_revealer")));
}

static const char *
offer_text (HailChatWindow *window)
{
  return gtk_label_get_text (GTK_LABEL (CHAT (window, "offer_label")));
}

/* Offers from this peer are asked about in order; each goes away when it
 * is decided, whoever decided it. */
static void
test_chat_offers (void)
{
  g_autoptr(TestFileEngine) engine = g_object_new (TEST_TYPE_FILE_ENGINE, NULL);
  g_autoptr(TestOffer) file = test_offer_new ("o1", "sip:bob@example.test", "Bob",
                                              "report.pdf", 2300000);
  g_autoptr(TestOffer) chat = test_offer_new ("o2", "sip:bob@example.test", NULL, NULL, 0);
  g_autoptr(TestOffer) other = test_offer_new ("o3", "sip:eve@example.test", "Eve",
                                               "x.bin", 1);
  g_autoptr(TestOffer) late = test_offer_new ("o4", "sip:bob@example.test", "Bob",
                                              "notes.txt", 0);
  HailChatWindow *window;

  g_ptr_array_add (engine->offers, g_object_ref (file));
  window = g_object_ref_sink (hail_chat_window_new (NULL, HAIL_ENGINE (engine),
                                                    "alice@example.test",
                                                    "sip:bob@example.test", "Bob", 0));
  g_assert_true (offer_shown (window));
  g_assert_cmpstr (offer_text (window), ==, "Bob wants to send you report.pdf (2.3\u00a0MB)");

  g_signal_emit_by_name (engine, "offer-added", other);
  g_signal_emit_by_name (engine, "offer-added", chat);
  g_assert_cmpstr (offer_text (window), ==, "Bob wants to send you report.pdf (2.3\u00a0MB)");

  g_signal_emit_by_name (CHAT (window, "accept_offer_button"), "clicked");
  g_assert_cmpint (file->answer, ==, TEST_OFFER_ACCEPTED);
  g_assert_cmpint (other->answer, ==, TEST_OFFER_OPEN);
  g_assert_cmpstr (offer_text (window), ==,
                   "sip:bob@example.test wants to start a chat session");

  g_signal_emit_by_name (CHAT (window, "decline_offer_button"), "clicked");
  g_assert_cmpint (chat->answer, ==, TEST_OFFER_DECLINED);
  g_assert_false (offer_shown (window));

  /* Answered from the notification, or cancelled by the peer. */
  g_signal_emit_by_name (engine, "offer-added", late);
  g_assert_true (offer_shown (window));
  g_assert_cmpstr (offer_text (window), ==, "Bob wants to send you notes.txt");
  test_offer_decide (late, TEST_OFFER_GONE);
  g_assert_false (offer_shown (window));
  g_assert_cmpint (other->answer, ==, TEST_OFFER_OPEN);

  destroy_chat (window);
}

/* A text's row says when it went in a chat session (MSRP); the usual
 * SIP MESSAGE way is not marked. */
static void
test_message_row_mode (void)
{
  for (guint i = 0; i < 2; i++)
    {
      HailStoreMessageMode mode = i == 0 ? HAIL_STORE_MESSAGE_MODE_PAGER
                                         : HAIL_STORE_MESSAGE_MODE_SESSION;
      g_autoptr(HailStoreMessage) message = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                                                          "account", "alice@example.test",
                                                          "remote", "sip:bob@example.test",
                                                          "direction", HAIL_STORE_DIRECTION_OUT,
                                                          "body", "a long text",
                                                          "mode", mode, NULL);
      GtkWidget *row = g_object_ref_sink (hail_message_row_new (message));
      const char *line = gtk_label_get_text (GTK_LABEL (CHILD (row, HAIL_TYPE_MESSAGE_ROW,
                                                               "state_label")));

      g_assert_cmpint (g_str_has_suffix (line, " · in a chat session"), ==,
                       mode == HAIL_STORE_MESSAGE_MODE_SESSION);
      g_assert_true (g_str_has_prefix (line, "Sending…"));
      g_assert_finalize_object (row);
    }
}

static gboolean
error_shown (gpointer data)
{
  return gtk_widget_get_visible (CHAT (data, "error_label"));
}

static gboolean
has_sent (gpointer data)
{
  gpointer *args = data;

  return TEST_FILE_ENGINE (args[0])->sent->len == GPOINTER_TO_UINT (args[1]);
}

/* Too large or not a file: words at once, nothing asked of the engine. */
static void
test_chat_send_file_checks (void)
{
  g_autoptr(TestFileEngine) engine = g_object_new (TEST_TYPE_FILE_ENGINE, NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *dir = g_dir_make_tmp ("hail-test-files-XXXXXX", NULL);
  g_autofree char *big = g_build_filename (dir, "film.mkv", NULL);
  g_autofree char *small = g_build_filename (dir, "note.txt", NULL);
  g_autofree char *big_data = g_malloc0 (5000);
  g_autoptr(GFile) small_file = g_file_new_for_path (small);
  HailChatWindow *window;
  gpointer args[2];

  g_assert_true (g_file_set_contents (big, big_data, 5000, NULL));
  g_assert_true (g_file_set_contents (small, "hello", 5, NULL));
  g_settings_set_uint64 (settings, "max-file-size", 1000);
  window = g_object_ref_sink (hail_chat_window_new (NULL, HAIL_ENGINE (engine),
                                                    "alice@example.test",
                                                    "sip:bob@example.test", "Bob", 0));
  g_assert_true (gtk_widget_is_sensitive (CHAT (window, "attach_button")));

  gtk_widget_activate_action (GTK_WIDGET (window), "chat.send-file", "s", big);
  g_assert_true (hail_test_wait_until (error_shown, window, 10000));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (CHAT (window, "error_label"))), ==,
                   "“film.mkv” is 5.0\u00a0kB, over the 1.0\u00a0kB limit set in Preferences.");

  gtk_widget_set_visible (CHAT (window, "error_label"), FALSE);
  gtk_widget_activate_action (GTK_WIDGET (window), "chat.send-file", "s", dir);
  g_assert_true (hail_test_wait_until (error_shown, window, 10000));
  g_assert_true (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (CHAT (window, "error_label"))),
                                   "is not a file: only files can be sent."));
  g_assert_cmpuint (engine->sent->len, ==, 0);

  /* A URI works as well as a path, and a good file clears the words. */
  {
    g_autofree char *uri = g_file_get_uri (small_file);

    gtk_widget_activate_action (GTK_WIDGET (window), "chat.send-file", "s", uri);
  }
  args[0] = engine;
  args[1] = GUINT_TO_POINTER (1);
  g_assert_true (hail_test_wait_until (has_sent, args, 10000));
  g_assert_true (g_file_equal (g_ptr_array_index (engine->sent, 0), small_file));
  g_assert_false (gtk_widget_get_visible (CHAT (window, "error_label")));

  destroy_chat (window);
  g_settings_reset (settings, "max-file-size");
  g_unlink (big);
  g_unlink (small);
  g_rmdir (dir);
}

/* The notification's buttons are app actions naming the offer; an offer
 * decided elsewhere leaves them without effect. */
static void
test_notifier_actions (void)
{
  g_autoptr(TestFileEngine) engine = g_object_new (TEST_TYPE_FILE_ENGINE, NULL);
  g_autoptr(GApplication) app = g_application_new ("io.github.hailphone.HailTestFiles",
                                                   G_APPLICATION_NON_UNIQUE);
  g_autoptr(TestOffer) first = test_offer_new ("o1", "sip:bob@example.test", "Bob",
                                               "report.pdf", 10);
  g_autoptr(TestOffer) second = test_offer_new ("o2", "sip:eve@example.test", NULL, NULL, 0);
  HailFileActions *notifier;

  /* GLib's notification backends all speak D-Bus. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("no session bus for notifications");
      return;
    }
  g_assert_true (g_application_register (app, NULL, NULL));
  g_ptr_array_add (engine->offers, g_object_ref (first));
  notifier = hail_file_actions_new (app, HAIL_ENGINE (engine));
  g_signal_emit_by_name (engine, "offer-added", second);

  g_action_group_activate_action (G_ACTION_GROUP (app), "decline-offer",
                                  g_variant_new_string ("o2"));
  g_assert_cmpint (second->answer, ==, TEST_OFFER_DECLINED);
  g_assert_cmpint (first->answer, ==, TEST_OFFER_OPEN);
  test_offer_decide (first, TEST_OFFER_GONE);
  g_action_group_activate_action (G_ACTION_GROUP (app), "accept-offer",
                                  g_variant_new_string ("o1"));
  g_assert_cmpint (first->answer, ==, TEST_OFFER_GONE);

  g_assert_finalize_object (notifier);
  g_assert_false (g_action_group_has_action (G_ACTION_GROUP (app), "accept-offer"));
}

/* Received files go where Preferences say, else to the XDG download
 * folder, else home. (The Preferences window itself reaches PulseAudio:
 * app-templates and app-a11y build it.) */
static void
test_download_folder (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFile) expected = NULL;
  const char *xdg = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);

  g_settings_reset (settings, "download-folder");
  folder = hail_preferences_window_dup_download_folder (settings);
  expected = g_file_new_for_path (xdg != NULL ? xdg : g_get_home_dir ());
  g_assert_true (g_file_equal (folder, expected));

  g_settings_set_string (settings, "download-folder", "/tmp/hail-received");
  g_clear_object (&folder);
  folder = hail_preferences_window_dup_download_folder (settings);
  g_assert_cmpstr (g_file_peek_path (folder), ==, "/tmp/hail-received");

  g_settings_reset (settings, "download-folder");
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display: run under xvfb-run\n");
      return 0;
    }
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("GTK_A11Y", "none", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/app/file-row/progress", test_row_progress);
  g_test_add_func ("/app/file-row/failed-reason", test_row_failed_reason);
  g_test_add_func ("/app/file-row/incoming-done", test_row_incoming_done);
  g_test_add_func ("/app/file-row/stored", test_row_stored);
  g_test_add_func ("/app/file-row/progress-text", test_progress_text);
  g_test_add_func ("/app/chat-window/offers", test_chat_offers);
  g_test_add_func ("/app/chat-window/send-file-checks", test_chat_send_file_checks);
  g_test_add_func ("/app/offer-notifier/actions", test_notifier_actions);
  g_test_add_func ("/app/message-row/session-mode", test_message_row_mode);
  g_test_add_func ("/app/preferences/download-folder", test_download_folder);
  return g_test_run ();
}
