/* test-files.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files in the chat window (issue #8): the file row shows each state of a
 * transfer with the buttons that state allows, the window checks the size
 * limit before it asks the engine, and asks about offers from strangers
 * until they are decided, here or elsewhere. Retry on a failed file of an
 * earlier run resumes it through the real core and history, to a real
 * chat in the same process.
 */
#include "config.h"

#include "hail-account.h"
#include "hail-chat.h"
#include "hail-chat-window.h"
#include "hail-core-files.h"
#include "hail-sip-target.h"
#include "hail-file-row.h"
#include "hail-message-row.h"
#include "hail-offline-engine.h"
#include "hail-preferences-window.h"
#include "hail-file-actions.h"
#include "hail-test-util.h"
#include "test-file-engine.h"
#include "test-offer.h"
#include "test-transfer.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

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

/* While the file is hashed, before the INVITE: "Preparing…" with the
 * bytes hashed, and Cancel; then the wait for the peer. */
static void
test_row_preparing (void)
{
  g_autoptr(TestTransfer) transfer = report_transfer (TRUE);
  GtkWidget *row = g_object_ref_sink (hail_file_row_new (NULL, HAIL_TRANSFER_VIEW (transfer)));

  test_transfer_progress (transfer, 2000000, HAIL_TRANSFER_VIEW_STATE_PREPARING, NULL);
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Preparing…");
  g_assert_cmpstr (row_text (row, "size_label"), ==, "2.0\u00a0MB of 5.0\u00a0MB");
  g_assert_true (row_shows (row, "progress_bar"));
  g_assert_cmpfloat_with_epsilon (
    gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (ROW (row, "progress_bar"))), 0.4, 1e-9);
  g_assert_true (row_shows (row, "cancel_button"));
  g_assert_false (row_shows (row, "retry_button"));

  test_transfer_progress (transfer, 0, HAIL_TRANSFER_VIEW_STATE_CONNECTING, NULL);
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Waiting for the other side…");
  g_assert_true (row_shows (row, "cancel_button"));
  finalize_row (row);
}

/* Cancel while the file is hashed stops it like any other. */
static void
test_row_preparing_cancel (void)
{
  g_autoptr(TestTransfer) transfer = report_transfer (TRUE);
  GtkWidget *row = g_object_ref_sink (hail_file_row_new (NULL, HAIL_TRANSFER_VIEW (transfer)));

  test_transfer_progress (transfer, 100, HAIL_TRANSFER_VIEW_STATE_PREPARING, NULL);
  g_signal_emit_by_name (ROW (row, "cancel_button"), "clicked");
  g_assert_cmpuint (transfer->cancels, ==, 1);
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Cancelled");
  g_assert_true (row_shows (row, "retry_button"));
  finalize_row (row);
}

/* A peer whose app takes no files: a failure in plain words naming the
 * peer, with Retry; without a name, "the other side". */
static void
test_row_unsupported (void)
{
  g_autoptr(TestTransfer) transfer = report_transfer (TRUE);
  GtkWidget *row = g_object_ref_sink (hail_file_row_new (NULL, HAIL_TRANSFER_VIEW (transfer)));

  test_transfer_fail_unsupported (transfer);
  g_assert_cmpstr (row_text (row, "state_label"), ==,
                   "Failed: the other side's app cannot take this file");
  hail_file_row_set_peer_name (HAIL_FILE_ROW (row), "Bob");
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Failed: Bob's app cannot take this file");
  g_assert_true (gtk_widget_has_css_class (ROW (row, "state_label"), "error"));
  g_assert_true (row_shows (row, "retry_button"));
  g_assert_false (row_shows (row, "cancel_button"));

  g_signal_emit_by_name (ROW (row, "retry_button"), "clicked");
  g_assert_cmpuint (transfer->retries, ==, 1);
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Preparing…");
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

static gboolean
retry_button_back (gpointer row)
{
  return row_shows (row, "retry_button");
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
  g_autoptr(HailStoreMessage) refused = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                                                      "account", "alice@example.test",
                                                      "remote", "sip:bob@example.test",
                                                      "direction", HAIL_STORE_DIRECTION_OUT,
                                                      "body", "song.ogg",
                                                      "state", HAIL_STORE_MESSAGE_STATE_FAILED,
                                                      "reason", HAIL_CHAT_TRANSFER_REASON_UNSUPPORTED,
                                                      "mode", HAIL_STORE_MESSAGE_MODE_SESSION,
                                                      "file-name", "song.ogg",
                                                      "file-size", (gint64) 4000000,
                                                      "file-uri", "file:///tmp/song.ogg",
                                                      NULL);
  g_autoptr(TestFileEngine) engine = g_object_new (TEST_TYPE_FILE_ENGINE, NULL);
  GtkWidget *row = g_object_ref_sink (hail_file_row_new (received, NULL));

  g_assert_cmpstr (row_text (row, "name_label"), ==, "photo.jpg");
  g_assert_cmpstr (row_text (row, "size_label"), ==, "2.3\u00a0MB");
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Received");
  g_assert_true (row_shows (row, "open_button"));
  g_assert_true (row_shows (row, "folder_button"));
  g_assert_false (row_shows (row, "progress_bar"));
  finalize_row (row);

  /* Still "sending" in the store: the run that sent it is over. Only an
   * engine sends it again. */
  row = g_object_ref_sink (hail_file_row_new (unfinished, NULL));
  g_assert_cmpstr (row_text (row, "state_label"), ==,
                   "Failed: Hail was closed before it finished");
  g_assert_false (row_shows (row, "retry_button"));
  hail_file_row_set_engine (HAIL_FILE_ROW (row), HAIL_ENGINE (engine));
  g_assert_true (row_shows (row, "retry_button"));
  /* A retry that cannot start says why, and can be tried again. */
  g_signal_emit_by_name (ROW (row, "retry_button"), "clicked");
  g_assert_true (hail_test_wait_until (retry_button_back, row, 10000));
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Failed: No file is sent again here");
  g_assert_false (row_shows (row, "cancel_button"));
  g_assert_false (row_shows (row, "open_button"));
  finalize_row (row);

  /* Refused by the peer's app in an earlier run: worded as when it was
   * live, with the peer's name once the window gives it. */
  row = g_object_ref_sink (hail_file_row_new (refused, NULL));
  g_assert_cmpstr (row_text (row, "state_label"), ==,
                   "Failed: the other side's app cannot take this file");
  hail_file_row_set_peer_name (HAIL_FILE_ROW (row), "Bob");
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Failed: Bob's app cannot take this file");
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

/* Retry from a stored row: alice's history holds a file that failed
 * after bob acknowledged its first RETRY_HELD bytes, and bob's holds the
 * part. */
#define RETRY_SIZE ((gsize) 3 * 1024 * 1024 + 77)
#define RETRY_HELD ((gsize) 1024 * 1024 + 13)
#define RETRY_WAIT_MS 20000

typedef struct {
  HailAccount *account;
  HailStore   *store;
  HailChat    *chat;
  char        *uri;       /* How the other side reaches it. */
} Side;

typedef struct {
  Side              alice;
  Side              bob;
  char             *dir;
  char             *downloads;
  GAsyncResult     *result;
  char             *file_range;     /* The a=file-range alice offered. */
  HailChatTransfer *received;       /* Bob's transfer. */
  guint64           first_progress; /* The first bytes bob counted (0: none yet). */
} Retry;

static void
side_start (Side       *side,
            const char *aor,
            const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bound = NULL;
  g_auto(GStrv) parts = g_strsplit_set (aor, ":@", -1);
  HailSipTarget *udp;

  side->account = hail_account_new (aor, &error);
  g_assert_no_error (error);
  hail_account_set_t1 (side->account, 50);
  bound = hail_account_start (side->account, "127.0.0.1:0", &error);
  g_assert_no_error (error);
  udp = g_ptr_array_index (bound, 0);
  side->uri = g_strdup_printf ("sip:%s@127.0.0.1:%u", parts[1],
                               g_inet_socket_address_get_port (udp->address));
  side->store = hail_store_new_sync (path, &error);
  g_assert_no_error (error);
  side->chat = hail_chat_new (side->account, side->store);
}

static void
side_clear (Side *side)
{
  g_assert_finalize_object (side->chat);
  g_clear_object (&side->store);
  g_clear_object (&side->account);
  g_free (side->uri);
}

static void
retry_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Retry *r = user_data;

  g_set_object (&r->result, result);
}

static gboolean
retry_has_result (gpointer data)
{
  return ((Retry *) data)->result != NULL;
}

/* Waits for the store's answer: the next _finish reads r->result. */
static void
retry_wait_store (Retry *r)
{
  g_assert_true (hail_test_wait_until (retry_has_result, r, RETRY_WAIT_MS));
}

static gboolean
retry_has_result_error (gpointer data)
{
  return *(GError **) data != NULL;
}

static gint64
seed_row (Retry            *r,
          HailStore        *store,
          HailStoreMessage *draft,
          guint64           acked,
          const char       *hash)
{
  g_autoptr(GError) error = NULL;
  gboolean outgoing = hail_store_message_get_direction (draft) == HAIL_STORE_DIRECTION_OUT;
  gint64 id;

  if (outgoing)
    hail_store_add_outgoing_message_async (store, draft, NULL, retry_result_cb, r);
  else
    hail_store_add_incoming_message_async (store, draft, NULL, retry_result_cb, r);
  retry_wait_store (r);
  id = outgoing ? hail_store_add_outgoing_message_finish (store, r->result, &error)
                : hail_store_add_incoming_message_finish (store, r->result, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&r->result);
  hail_store_set_message_state_async (store, id, HAIL_STORE_MESSAGE_STATE_FAILED, 0,
                                      "the peer went away", NULL, retry_result_cb, r);
  retry_wait_store (r);
  g_assert_true (hail_store_set_message_state_finish (store, r->result, &error));
  g_assert_no_error (error);
  g_clear_object (&r->result);
  if (acked > 0)
    {
      hail_store_set_file_acked_async (store, id, acked, hash, NULL, retry_result_cb, r);
      retry_wait_store (r);
      g_assert_true (hail_store_update_finish (store, r->result, &error));
      g_assert_no_error (error);
      g_clear_object (&r->result);
    }
  return id;
}

static HailStoreMessage *
file_draft (const char *account,
            const char *remote,
            gboolean    outgoing,
            const char *path,
            const char *hash)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);

  return g_object_new (HAIL_TYPE_STORE_MESSAGE,
                       "account", account,
                       "remote", remote,
                       "direction", outgoing ? HAIL_STORE_DIRECTION_OUT
                                             : HAIL_STORE_DIRECTION_IN,
                       "body", "report.bin",
                       "content-type", "application/octet-stream",
                       "mode", HAIL_STORE_MESSAGE_MODE_SESSION,
                       "file-name", "report.bin",
                       "file-size", (gint64) RETRY_SIZE,
                       "file-uri", uri,
                       "file-hash", hash,
                       outgoing ? "time-sent" : "time-received", g_get_real_time (),
                       NULL);
}

/* The stored message @id, as a window's list gives it to its row. */
static HailStoreMessage *
stored_message (HailStore *store,
                gint64     id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) conversations = hail_store_list_conversations_sync (store, &error);
  g_autoptr(HailStoreConversation) conversation = NULL;
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(HailStoreMessage) message = NULL;

  g_assert_no_error (error);
  conversation = g_list_model_get_item (conversations, 0);
  messages = hail_store_list_messages_sync (store, hail_store_conversation_get_id (conversation),
                                            0, 10, &error);
  g_assert_no_error (error);
  message = g_list_model_get_item (messages, 0);
  g_assert_cmpint (hail_store_message_get_id (message), ==, id);
  return g_steal_pointer (&message);
}

static void
invite_seen_cb (HailAccount *account,
                gboolean     outgoing,
                const char  *transport,
                const char  *peer,
                GBytes      *bytes,
                Retry       *r)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autofree char *text = g_strndup (data, len);
  const char *range = strstr (text, "a=file-range:");

  if (outgoing && g_str_has_prefix (text, "INVITE ") && range != NULL && r->file_range == NULL)
    r->file_range = g_strndup (range, strcspn (range, "\r\n"));
}

static gboolean
take_offer_cb (HailChat      *chat,
               HailChatOffer *offer,
               Retry         *r)
{
  hail_chat_offer_accept (offer);
  return TRUE;
}

static void
bob_transfer_cb (HailChat         *chat,
                 HailChatTransfer *transfer,
                 Retry            *r)
{
  g_set_object (&r->received, transfer);
}

static void
bob_progress_cb (HailChat   *chat,
                 const char *remote,
                 const char *name,
                 guint64     done,
                 gint64      total,
                 gboolean    outgoing,
                 Retry      *r)
{
  if (r->first_progress == 0)
    r->first_progress = done;
}

static gboolean
row_delivered (gpointer data)
{
  HailTransferView *transfer = hail_file_row_get_transfer (data);
  HailTransferViewState state;

  if (transfer == NULL)
    return FALSE;
  state = hail_transfer_view_get_state (transfer);
  return state != HAIL_TRANSFER_VIEW_STATE_PREPARING &&
         state != HAIL_TRANSFER_VIEW_STATE_CONNECTING && state != HAIL_TRANSFER_VIEW_STATE_ACTIVE;
}

static gboolean
bob_has_it (gpointer data)
{
  Retry *r = data;

  HailChatTransferState state;

  if (r->received == NULL)
    return FALSE;
  state = hail_chat_transfer_get_state (r->received);
  return state != HAIL_CHAT_TRANSFER_CONNECTING && state != HAIL_CHAT_TRANSFER_ACTIVE;
}

static void
test_row_retry_resumes (void)
{
  Retry r = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *contents = g_malloc (RETRY_SIZE);
  g_autofree char *source = NULL;
  g_autofree char *arrived = NULL;
  g_autofree char *part = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *alice_db = NULL;
  g_autofree char *bob_db = NULL;
  g_autofree char *expected_range = NULL;
  g_autofree char *got = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  g_autoptr(GString) hex = g_string_new (NULL);
  g_autoptr(GFile) downloads = NULL;
  g_autoptr(HailStoreMessage) draft = NULL;
  g_autoptr(HailStoreMessage) message = NULL;
  g_autoptr(HailStoreMessage) done = NULL;
  TestFileEngine *engine;
  GtkWidget *row;
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  gsize got_len;
  gint64 id;

  r.dir = g_dir_make_tmp ("hail-file-retry-XXXXXX", &error);
  g_assert_no_error (error);
  r.downloads = g_build_filename (r.dir, "downloads", NULL);
  g_assert_cmpint (g_mkdir (r.downloads, 0700), ==, 0);
  /* Bytes that differ from one block to the next: a part put back in the
   * wrong place would not hash the same. */
  for (gsize i = 0; i < RETRY_SIZE; i++)
    contents[i] = (guint8) (i * 7 + i / 4093);
  g_checksum_update (checksum, contents, RETRY_SIZE);
  g_checksum_get_digest (checksum, digest, &digest_len);
  for (gsize i = 0; i < digest_len; i++)
    g_string_append_printf (hex, i == 0 ? "%02X" : ":%02X", digest[i]);
  hash = g_strdup (hex->str);
  source = g_build_filename (r.dir, "report.bin", NULL);
  g_file_set_contents (source, (const char *) contents, RETRY_SIZE, &error);
  g_assert_no_error (error);

  alice_db = g_build_filename (r.dir, "alice.db", NULL);
  bob_db = g_build_filename (r.dir, "bob.db", NULL);
  side_start (&r.alice, "sip:alice@example.test", alice_db);
  side_start (&r.bob, "sip:bob@example.test", bob_db);
  downloads = g_file_new_for_path (r.downloads);
  hail_chat_set_download_dir (r.bob.chat, downloads);

  /* What the earlier run left: alice's row with what bob acknowledged,
   * bob's row with the part and the empty file that holds its name. */
  draft = file_draft ("sip:alice@example.test", r.bob.uri, TRUE, source, hash);
  id = seed_row (&r, r.alice.store, draft, RETRY_HELD, hash);
  g_clear_object (&draft);
  arrived = g_build_filename (r.downloads, "report.bin", NULL);
  part = g_strconcat (arrived, ".part", NULL);
  draft = file_draft ("sip:bob@example.test", "sip:alice@example.test", FALSE, arrived, hash);
  seed_row (&r, r.bob.store, draft, 0, NULL);
  g_file_set_contents (part, (const char *) contents, RETRY_HELD, &error);
  g_assert_no_error (error);
  g_file_set_contents (arrived, "", 0, &error);
  g_assert_no_error (error);

  engine = g_object_new (TEST_TYPE_FILE_ENGINE, NULL);
  engine->files = hail_core_files_new (HAIL_ENGINE (engine));
  engine->chat = g_object_ref (r.alice.chat);
  hail_core_files_watch_chat (engine->files, r.alice.chat, r.alice.store);
  g_signal_connect (r.alice.account, "sip-message", G_CALLBACK (invite_seen_cb), &r);
  g_signal_connect (r.bob.chat, "session-offer", G_CALLBACK (take_offer_cb), &r);
  g_signal_connect (r.bob.chat, "transfer-added", G_CALLBACK (bob_transfer_cb), &r);
  g_signal_connect (r.bob.chat, "file-progress", G_CALLBACK (bob_progress_cb), &r);

  message = stored_message (r.alice.store, id);
  row = g_object_ref_sink (hail_file_row_new (message, NULL));
  hail_file_row_set_engine (HAIL_FILE_ROW (row), HAIL_ENGINE (engine));
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Failed: the peer went away");
  g_assert_true (row_shows (row, "retry_button"));
  g_signal_emit_by_name (ROW (row, "retry_button"), "clicked");
  g_assert_false (row_shows (row, "retry_button"));

  g_assert_true (hail_test_wait_until (row_delivered, row, RETRY_WAIT_MS));
  g_assert_cmpstr (row_text (row, "state_label"), ==, "Delivered");
  g_assert_true (hail_test_wait_until (bob_has_it, &r, RETRY_WAIT_MS));
  g_assert_cmpint (hail_chat_transfer_get_state (r.received), ==, HAIL_CHAT_TRANSFER_DONE);
  /* Bob got the file whole, and only what he did not hold went again. */
  g_assert_true (g_file_get_contents (arrived, &got, &got_len, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (got, got_len, contents, RETRY_SIZE);
  expected_range = g_strdup_printf ("a=file-range:%" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT,
                                    RETRY_HELD + 1, RETRY_SIZE);
  g_assert_cmpstr (r.file_range, ==, expected_range);
  g_assert_cmpuint (hail_chat_transfer_get_resumed_from (r.received), ==, RETRY_HELD);
  g_assert_cmpuint (r.first_progress, >, RETRY_HELD);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  done = stored_message (r.alice.store, id);
  g_assert_cmpint (hail_store_message_get_state (done), ==, HAIL_STORE_MESSAGE_STATE_DELIVERED);

  g_signal_handlers_disconnect_by_data (r.alice.account, &r);
  g_signal_handlers_disconnect_by_data (r.bob.chat, &r);
  finalize_row (row);
  g_assert_finalize_object (engine);
  g_clear_object (&r.received);
  side_clear (&r.alice);
  side_clear (&r.bob);
  g_remove (arrived);
  g_remove (source);
  for (guint i = 0; i < 2; i++)
    {
      const char *db = i == 0 ? alice_db : bob_db;
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);

      g_remove (db);
      g_remove (wal);
      g_remove (shm);
    }
  g_rmdir (r.downloads);
  g_rmdir (r.dir);
  g_free (r.downloads);
  g_free (r.dir);
  g_free (r.file_range);
}

static void
offline_retried_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(HailTransferView) transfer = hail_engine_retry_file_finish (HAIL_ENGINE (source),
                                                                        result, error);

  g_assert_null (transfer);
}

/* Without a SIP engine, Retry on a stored file says so. */
static void
test_offline_retry_file (void)
{
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  g_autoptr(GError) error = NULL;

  hail_engine_retry_file_async (engine, 7, NULL, offline_retried_cb, &error);
  g_assert_true (hail_test_wait_until (retry_has_result_error, &error, RETRY_WAIT_MS));
  g_assert_error (error, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_UNAVAILABLE);
  g_assert_cmpstr (error->message, ==, "The SIP engine is not available in this build.");
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
  g_test_add_func ("/app/file-row/preparing", test_row_preparing);
  g_test_add_func ("/app/file-row/preparing-cancel", test_row_preparing_cancel);
  g_test_add_func ("/app/file-row/unsupported", test_row_unsupported);
  g_test_add_func ("/app/file-row/incoming-done", test_row_incoming_done);
  g_test_add_func ("/app/file-row/stored", test_row_stored);
  g_test_add_func ("/app/file-row/retry-resumes-stored", test_row_retry_resumes);
  g_test_add_func ("/app/engine/offline-retry-file", test_offline_retry_file);
  g_test_add_func ("/app/file-row/progress-text", test_progress_text);
  g_test_add_func ("/app/chat-window/offers", test_chat_offers);
  g_test_add_func ("/app/chat-window/send-file-checks", test_chat_send_file_checks);
  g_test_add_func ("/app/offer-notifier/actions", test_notifier_actions);
  g_test_add_func ("/app/message-row/session-mode", test_message_row_mode);
  g_test_add_func ("/app/preferences/download-folder", test_download_folder);
  return g_test_run ();
}
