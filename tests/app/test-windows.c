/* test-windows.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chat and call windows build from their templates, show what the
 * store and the call say, and enable their actions exactly when they work.
 */
#include "config.h"

#include "hail-account-removal.h"
#include "hail-call-window.h"
#include "hail-chat-window.h"
#include "hail-account-list.h"
#include "hail-message-row.h"
#include "hail-offline-engine.h"
#include "hail-store.h"
#include "hail-test-util.h"
#include "test-call.h"
#include "hail-window.h"

#include "app-test-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#define CHILD(w, type, id) \
  GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (w), type, id))
#define CHAT(w, id) CHILD (w, HAIL_TYPE_CHAT_WINDOW, id)
#define CALLW(w, id) CHILD (w, HAIL_TYPE_CALL_WINDOW, id)


/* An engine that stores each message and reports one account online, as
 * core will: it lets the tests see the success paths. */
#define TEST_TYPE_ENGINE (test_engine_get_type ())
G_DECLARE_FINAL_TYPE (TestEngine, test_engine, TEST, ENGINE, GObject)

struct _TestEngine {
  GObject parent_instance;
  HailStore *store;
  guint sent;
  guint retries;
  gint64 resent_id;
};

static void test_engine_iface_init (HailEngineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestEngine, test_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HAIL_TYPE_ENGINE, test_engine_iface_init))

static gboolean
test_engine_is_available (HailEngine *engine)
{
  return TRUE;
}

static HailEngineAccountState
test_engine_get_account_state (HailEngine  *engine,
                               const char  *address,
                               GError     **reason)
{
  if (g_str_has_prefix (address, "sip:alice@"))
    return HAIL_ENGINE_ACCOUNT_STATE_ONLINE;
  g_set_error_literal (reason, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_UNAVAILABLE,
                       "Wrong password");
  return HAIL_ENGINE_ACCOUNT_STATE_FAILED;
}

static void
test_engine_retry_account (HailEngine *engine,
                           const char *address)
{
  TEST_ENGINE (engine)->retries++;
}

static void
test_engine_stored_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gint64 id = hail_store_add_outgoing_message_finish (HAIL_STORE (source), result, &error);

  if (id <= 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, id);
}

static void
test_engine_send_message_async (HailEngine          *engine,
                                const char          *account,
                                const char          *remote,
                                const char          *body,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  TestEngine *self = TEST_ENGINE (engine);
  g_autoptr(HailStoreMessage) draft = hail_store_message_new (account ? account : "alice@x.test",
                                                              remote,
                                                              HAIL_STORE_DIRECTION_OUT, body);

  self->sent++;
  hail_store_add_outgoing_message_async (self->store, draft, NULL, test_engine_stored_cb,
                                         g_task_new (engine, cancellable, callback, user_data));
}

static gint64
test_engine_send_message_finish (HailEngine    *engine,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

static void
test_engine_resent_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!hail_store_set_message_state_finish (HAIL_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Sends again as core does when the peer accepts: the row becomes SENT. */
static void
test_engine_resend_message_async (HailEngine          *engine,
                                  gint64               message_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  TestEngine *self = TEST_ENGINE (engine);

  self->resent_id = message_id;
  hail_store_set_message_state_async (self->store, message_id, HAIL_STORE_MESSAGE_STATE_SENT,
                                      200, "OK", NULL, test_engine_resent_cb,
                                      g_task_new (engine, cancellable, callback, user_data));
}

static gboolean
test_engine_resend_message_finish (HailEngine    *engine,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_engine_iface_init (HailEngineInterface *iface)
{
  iface->is_available = test_engine_is_available;
  iface->get_account_state = test_engine_get_account_state;
  iface->retry_account = test_engine_retry_account;
  iface->send_message_async = test_engine_send_message_async;
  iface->send_message_finish = test_engine_send_message_finish;
  iface->resend_message_async = test_engine_resend_message_async;
  iface->resend_message_finish = test_engine_resend_message_finish;
}

static void
test_engine_finalize (GObject *object)
{
  g_clear_object (&TEST_ENGINE (object)->store);
  G_OBJECT_CLASS (test_engine_parent_class)->finalize (object);
}

static void
test_engine_class_init (TestEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_engine_finalize;
}

static void
test_engine_init (TestEngine *self)
{
}

static const char *
label_text (GtkWidget *label)
{
  return gtk_label_get_text (GTK_LABEL (label));
}

static gboolean
action_on (GtkWidget  *button)
{
  return gtk_widget_get_sensitive (button);
}

/* Call window */

static void
test_call_incoming_answer (void)
{
  g_autoptr(TestCall) call = test_call_new ("c1", "sip:bob@example.test", "Bob",
                                            HAIL_CALL_VIEW_STATE_INCOMING);
  HailCallWindow *window = g_object_ref_sink (hail_call_window_new (HAIL_CALL_VIEW (call), NULL));

  g_assert_cmpstr (label_text (CALLW (window, "peer_label")), ==, "Bob");
  g_assert_cmpstr (label_text (CALLW (window, "address_label")), ==, "sip:bob@example.test");
  g_assert_cmpstr (label_text (CALLW (window, "state_label")), ==, "Incoming call");
  g_assert_true (gtk_widget_get_visible (CALLW (window, "incoming_box")));
  g_assert_false (gtk_widget_get_visible (CALLW (window, "controls_box")));
  g_assert_true (action_on (CALLW (window, "answer_button")));
  g_assert_true (action_on (CALLW (window, "decline_button")));
  g_assert_false (gtk_widget_get_sensitive (CALLW (window, "mute_button")));
  g_assert_false (gtk_widget_get_sensitive (CALLW (window, "keypad_button")));

  gtk_widget_activate_action (GTK_WIDGET (window), "call.answer", NULL);
  g_assert_cmpint (call->state, ==, HAIL_CALL_VIEW_STATE_ACTIVE);
  g_assert_false (gtk_widget_get_visible (CALLW (window, "incoming_box")));
  g_assert_true (gtk_widget_get_visible (CALLW (window, "controls_box")));
  g_assert_false (action_on (CALLW (window, "answer_button")));
  g_assert_true (action_on (CALLW (window, "hangup_button")));
  g_assert_cmpstr (label_text (CALLW (window, "state_label")), ==, "0:00");

  call->duration = 65;
  g_object_notify (G_OBJECT (call), "duration");
  g_assert_cmpstr (label_text (CALLW (window, "state_label")), ==, "1:05");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_call_controls (void)
{
  g_autoptr(TestCall) call = test_call_new ("c2", "sip:carol@example.test", NULL,
                                            HAIL_CALL_VIEW_STATE_ACTIVE);
  HailCallWindow *window = g_object_ref_sink (hail_call_window_new (HAIL_CALL_VIEW (call), NULL));

  /* No name: the address is the title, shown once. */
  g_assert_cmpstr (label_text (CALLW (window, "peer_label")), ==, "sip:carol@example.test");
  g_assert_false (gtk_widget_get_visible (CALLW (window, "address_label")));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (CALLW (window, "mute_button")), TRUE);
  g_assert_true (call->muted);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (CALLW (window, "hold_button")), TRUE);
  g_assert_true (call->held);
  g_object_notify (G_OBJECT (call), "held");
  g_assert_cmpstr (label_text (CALLW (window, "state_label")), ==, "On hold · 0:00");

  gtk_widget_activate_action (GTK_WIDGET (window), "call.dtmf", "s", "5");
  gtk_widget_activate_action (GTK_WIDGET (window), "call.dtmf", "s", "#");
  gtk_widget_activate_action (GTK_WIDGET (window), "call.dtmf", "s", "x");
  g_assert_cmpstr (call->dtmf->str, ==, "5#");

  call->input_level = 0.5;
  g_object_notify (G_OBJECT (call), "input-level");
  g_assert_cmpfloat (gtk_level_bar_get_value (GTK_LEVEL_BAR (CALLW (window, "input_level"))),
                     ==, 0.5);
  /* Without a device list the choices are off, not empty and clickable. */
  g_assert_false (gtk_widget_get_sensitive (CALLW (window, "input_dropdown")));

  gtk_widget_activate_action (GTK_WIDGET (window), "call.hang-up", NULL);
  g_assert_cmpint (call->state, ==, HAIL_CALL_VIEW_STATE_ENDED);
  g_assert_false (action_on (CALLW (window, "hangup_button")));
  g_assert_cmpstr (label_text (CALLW (window, "state_label")), ==, "Call ended");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_call_end_reason (void)
{
  g_autoptr(TestCall) call = test_call_new ("c3", "sip:dan@example.test", "Dan",
                                            HAIL_CALL_VIEW_STATE_DIALING);
  HailCallWindow *window = g_object_ref_sink (hail_call_window_new (HAIL_CALL_VIEW (call), NULL));

  g_assert_cmpstr (label_text (CALLW (window, "state_label")), ==, "Calling…");
  test_call_set_state (call, HAIL_CALL_VIEW_STATE_RINGING);
  g_assert_cmpstr (label_text (CALLW (window, "state_label")), ==, "Ringing…");
  call->end_reason = g_strdup ("Dan is busy");
  test_call_set_state (call, HAIL_CALL_VIEW_STATE_ENDED);
  g_assert_cmpstr (label_text (CALLW (window, "state_label")), ==, "Call ended: Dan is busy");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* "Call Details" only while talking; its figures follow the call, and the
 * warning comes and goes with the link. */
static void
test_call_quality (void)
{
  g_autoptr(TestCall) call = test_call_new ("q1", "sip:hana@example.test", "Hana",
                                            HAIL_CALL_VIEW_STATE_DIALING);
  HailCallWindow *window = g_object_ref_sink (hail_call_window_new (HAIL_CALL_VIEW (call), NULL));
  GtkWidget *details = CALLW (window, "details_button");
  GtkWidget *warning = CALLW (window, "quality_warning");
  GtkPopover *popover = GTK_POPOVER (CALLW (window, "details_popover"));
  HailCallQuality quality = {
    .codec = HAIL_MEDIA_CODEC_OPUS, .rate = 48000, .encrypted = TRUE, .delay_ms = 60,
    .delay_max_ms = 300, .received = 1000,
  };

  g_assert_cmpstr (gtk_widget_get_tooltip_text (details), ==, "Call Details");
  /* Screen readers announce the warning as it appears. */
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (warning)), ==,
                   GTK_ACCESSIBLE_ROLE_ALERT);
  g_assert_false (gtk_widget_get_visible (details));
  test_call_set_state (call, HAIL_CALL_VIEW_STATE_ACTIVE);
  g_assert_true (gtk_widget_get_visible (details));

  /* A popover opens from a window on screen, as people see it. */
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (hail_test_wait_until (widget_mapped, window, 10000));
  gtk_menu_button_popup (GTK_MENU_BUTTON (details));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_cmpstr (label_text (CALLW (window, "codec_label")), ==, "No audio yet");
  g_assert_false (gtk_widget_get_visible (CALLW (window, "delay_label")));

  test_call_set_quality (call, &quality);
  g_assert_cmpstr (label_text (CALLW (window, "codec_label")), ==, "Opus, 48 kHz");
  g_assert_cmpstr (label_text (CALLW (window, "encryption_label")), ==, "Encrypted (SRTP)");
  g_assert_cmpstr (label_text (CALLW (window, "delay_label")), ==, "Delay 60 ms");
  g_assert_cmpstr (label_text (CALLW (window, "loss_label")), ==, "Lost 0.0 % of packets");
  g_assert_cmpstr (label_text (CALLW (window, "late_label")), ==, "Late 0.0 % of packets");
  g_assert_false (gtk_widget_get_visible (warning));

  /* The delay at its cap: packets come too late to be heard in time. */
  quality.delay_ms = 300;
  test_call_set_quality (call, &quality);
  g_assert_cmpstr (label_text (CALLW (window, "delay_label")), ==, "Delay 300 ms");
  g_assert_true (gtk_widget_get_visible (warning));

  /* 20 of the next 120 lost, read on the second's tick. */
  quality.delay_ms = 140;
  quality.received = 1100;
  quality.lost = 20;
  quality.late = 11;
  call->quality = quality;
  call->duration = 1;
  g_object_notify (G_OBJECT (call), "duration");
  g_assert_true (gtk_widget_get_visible (warning));
  g_assert_cmpstr (label_text (CALLW (window, "loss_label")), ==, "Lost 1.8 % of packets");
  g_assert_cmpstr (label_text (CALLW (window, "late_label")), ==, "Late 1.0 % of packets");

  /* The next 200 all came: the warning goes, though the call's total
   * still counts the loss. */
  quality.received = 1300;
  call->quality = quality;
  call->duration = 2;
  g_object_notify (G_OBJECT (call), "duration");
  g_assert_false (gtk_widget_get_visible (warning));

  /* The end closes the details, and nothing refreshes them any more. */
  test_call_set_state (call, HAIL_CALL_VIEW_STATE_ENDED);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_false (gtk_widget_get_visible (details));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_call_waiting (void)
{
  g_autoptr(TestCall) first = test_call_new ("w1", "sip:erin@example.test", "Erin",
                                             HAIL_CALL_VIEW_STATE_ACTIVE);
  g_autoptr(TestCall) second = test_call_new ("w2", "sip:finn@example.test", "Finn",
                                              HAIL_CALL_VIEW_STATE_INCOMING);
  g_autoptr(TestCall) third = test_call_new ("w3", "sip:gail@example.test", "Gail",
                                             HAIL_CALL_VIEW_STATE_INCOMING);
  HailCallWindow *window = g_object_ref_sink (hail_call_window_new (HAIL_CALL_VIEW (first),
                                                                    NULL));

  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (CALLW (window,
                                                                      "other_revealer"))));
  g_assert_true (hail_call_window_add_call (window, HAIL_CALL_VIEW (second)));
  g_assert_false (hail_call_window_add_call (window, HAIL_CALL_VIEW (third)));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (CALLW (window,
                                                                     "other_revealer"))));
  g_assert_cmpstr (label_text (CALLW (window, "other_label")), ==, "Finn is calling");
  g_assert_true (action_on (CALLW (window, "other_answer_button")));

  /* Answering the waiting call holds the first and brings the second forward. */
  gtk_widget_activate_action (GTK_WIDGET (window), "call.answer-other", NULL);
  g_assert_true (first->held);
  g_assert_cmpint (second->state, ==, HAIL_CALL_VIEW_STATE_ACTIVE);
  g_assert_true (hail_call_window_get_call (window) == HAIL_CALL_VIEW (second));
  g_assert_cmpstr (label_text (CALLW (window, "peer_label")), ==, "Finn");
  g_assert_cmpstr (label_text (CALLW (window, "other_label")), ==, "Erin is on hold");
  g_assert_true (action_on (CALLW (window, "other_swap_button")));

  /* When the call in front ends, the held one comes back. */
  gtk_widget_activate_action (GTK_WIDGET (window), "call.hang-up", NULL);
  g_assert_true (hail_call_window_get_call (window) == HAIL_CALL_VIEW (first));
  g_assert_null (hail_call_window_get_other (window));
  g_assert_cmpstr (label_text (CALLW (window, "peer_label")), ==, "Erin");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* Chat window, on a real store in the test's data dir */

typedef struct {
  GAsyncResult *result;
} Wait;

static gboolean
has_result (gpointer data)
{
  return ((Wait *) data)->result != NULL;
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static HailStore *
open_store (void)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("test-windows-%u.db", n++);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), name, NULL);
  g_autoptr(GError) error = NULL;
  HailStore *store;

  store = hail_store_new_sync (path, &error);
  g_assert_no_error (error);
  return store;
}

static gint64
add_message (HailStore          *store,
             HailStoreDirection  direction,
             const char         *body,
             gint64             *conversation_id)
{
  g_autoptr(HailStoreMessage) draft = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };
  gint64 id;

  if (direction == HAIL_STORE_DIRECTION_IN)
    draft = g_object_new (HAIL_TYPE_STORE_MESSAGE, "account", "alice@example.test",
                          "remote", "sip:bob@example.test", "direction", direction,
                          "body", body, "call-id", body, "cseq", 1, NULL);
  else
    draft = hail_store_message_new ("alice@example.test", "sip:bob@example.test", direction,
                                    body);
  if (direction == HAIL_STORE_DIRECTION_IN)
    hail_store_add_incoming_message_async (store, draft, NULL, store_result_cb, &wait);
  else
    hail_store_add_outgoing_message_async (store, draft, NULL, store_result_cb, &wait);
  g_assert_true (hail_test_wait_until (has_result, &wait, 10000));
  if (direction == HAIL_STORE_DIRECTION_IN)
    id = hail_store_add_incoming_message_finish (store, wait.result, NULL, &error);
  else
    id = hail_store_add_outgoing_message_finish (store, wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_cmpint (id, >, 0);

  if (conversation_id != NULL)
    {
      g_autoptr(GListModel) conversations = hail_store_list_conversations_sync (store, &error);
      g_autoptr(HailStoreConversation) conversation = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (conversations), ==, 1);
      conversation = g_list_model_get_item (conversations, 0);
      *conversation_id = hail_store_conversation_get_id (conversation);
    }
  return id;
}

static void
set_state (HailStore             *store,
           gint64                 id,
           HailStoreMessageState  state,
           const char            *reason)
{
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };

  hail_store_set_message_state_async (store, id, state, reason ? 404 : 0, reason, NULL,
                                      store_result_cb, &wait);
  g_assert_true (hail_test_wait_until (has_result, &wait, 10000));
  g_assert_true (hail_store_set_message_state_finish (store, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
}

static gboolean
has_n_rows (gpointer data)
{
  gpointer *args = data;
  GListModel *model = hail_chat_window_get_messages (args[0]);

  return model != NULL && g_list_model_get_n_items (model) == GPOINTER_TO_UINT (args[1]);
}

static HailMessageRow *
row_at (HailChatWindow *window,
        int             index)
{
  return HAIL_MESSAGE_ROW (gtk_list_box_get_row_at_index (
    GTK_LIST_BOX (CHAT (window, "message_list")), index));
}

static const char *
row_label (HailMessageRow *row,
           const char     *id)
{
  return label_text (CHILD (row, HAIL_TYPE_MESSAGE_ROW, id));
}

static void
close_store (HailStore *store)
{
  Wait wait = { NULL };
  g_autoptr(GError) error = NULL;

  hail_store_close_async (store, NULL, store_result_cb, &wait);
  g_assert_true (hail_test_wait_until (has_result, &wait, 10000));
  g_assert_true (hail_store_close_finish (store, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_object_unref (store);
}

static gboolean
is_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
destroy_chat (HailChatWindow *window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  /* Loads in flight hold a reference until their callback ran. */
  g_assert_true (hail_test_wait_until (is_gone, &weak, 10000));
}

static void
test_chat_shows_states (void)
{
  HailStore *store = open_store ();
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  HailChatWindow *window;
  HailMessageRow *row;
  gint64 conversation_id = 0;
  gint64 failed, delivered;
  gpointer args[2];

  failed = add_message (store, HAIL_STORE_DIRECTION_OUT, "see https://example.test/a?b=1&c=2.",
                        &conversation_id);
  delivered = add_message (store, HAIL_STORE_DIRECTION_OUT, "second", NULL);
  add_message (store, HAIL_STORE_DIRECTION_IN, "an answer <b>not bold</b>", NULL);
  set_state (store, failed, HAIL_STORE_MESSAGE_STATE_FAILED, "Not Found");
  set_state (store, delivered, HAIL_STORE_MESSAGE_STATE_DELIVERED, NULL);

  window = g_object_ref_sink (hail_chat_window_new (store, engine, "alice@example.test",
                                                    "sip:bob@example.test", "Bob",
                                                    conversation_id));
  args[0] = window;
  args[1] = GUINT_TO_POINTER (3);
  g_assert_true (hail_test_wait_until (has_n_rows, args, 10000));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Bob");

  row = row_at (window, 0);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (CHILD (row, HAIL_TYPE_MESSAGE_ROW,
                                                          "body_label"))), ==,
                   "see <a href=\"https://example.test/a?b=1&amp;c=2\">"
                   "https://example.test/a?b=1&amp;c=2</a>.");
  g_assert_true (g_str_has_suffix (row_label (row, "state_label"), "Not sent: Not Found"));
  g_assert_true (gtk_widget_get_visible (CHILD (row, HAIL_TYPE_MESSAGE_ROW, "retry_button")));
  /* Retrying needs the engine: off, with the state still on screen. */
  g_assert_false (gtk_widget_get_sensitive (CHILD (row, HAIL_TYPE_MESSAGE_ROW, "retry_button")));

  row = row_at (window, 1);
  g_assert_true (g_str_has_suffix (row_label (row, "state_label"), "Delivered"));
  g_assert_false (gtk_widget_get_visible (CHILD (row, HAIL_TYPE_MESSAGE_ROW, "retry_button")));

  row = row_at (window, 2);
  g_assert_cmpstr (row_label (row, "body_label"), ==, "an answer <b>not bold</b>");
  g_assert_true (gtk_widget_get_halign (CHILD (row, HAIL_TYPE_MESSAGE_ROW, "bubble")) ==
                 GTK_ALIGN_START);

  /* Search inside the conversation. */
  gtk_editable_set_text (GTK_EDITABLE (CHAT (window, "search_entry")), "ANSWER");
  g_signal_emit_by_name (CHAT (window, "search_entry"), "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (hail_chat_window_get_messages (window)), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (CHAT (window, "search_entry")), "nothing like it");
  g_signal_emit_by_name (CHAT (window, "search_entry"), "search-changed");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (CHAT (window, "list_stack"))),
                   ==, "no-results");

  destroy_chat (window);
  close_store (store);
}

static gboolean
resent_any (gpointer data)
{
  return ((TestEngine *) data)->resent_id != 0;
}

static gboolean
row_says_sent (gpointer data)
{
  return g_str_has_suffix (row_label (data, "state_label"), "Sent");
}

/* Retry on a failed row sends exactly that message, and the row follows. */
static void
test_chat_retry_one (void)
{
  HailStore *store = open_store ();
  g_autoptr(TestEngine) engine = g_object_new (TEST_TYPE_ENGINE, NULL);
  HailChatWindow *window;
  HailMessageRow *row;
  gint64 conversation_id = 0;
  gint64 first, second;
  gpointer args[2];

  engine->store = g_object_ref (store);
  first = add_message (store, HAIL_STORE_DIRECTION_OUT, "first try", &conversation_id);
  second = add_message (store, HAIL_STORE_DIRECTION_OUT, "second try", NULL);
  set_state (store, first, HAIL_STORE_MESSAGE_STATE_FAILED, "Not Found");
  set_state (store, second, HAIL_STORE_MESSAGE_STATE_FAILED, "Not Found");

  window = g_object_ref_sink (hail_chat_window_new (store, HAIL_ENGINE (engine),
                                                    "alice@example.test",
                                                    "sip:bob@example.test", "Bob",
                                                    conversation_id));
  args[0] = window;
  args[1] = GUINT_TO_POINTER (2);
  g_assert_true (hail_test_wait_until (has_n_rows, args, 10000));
  row = row_at (window, 1);
  g_assert_true (gtk_widget_get_sensitive (CHILD (row, HAIL_TYPE_MESSAGE_ROW, "retry_button")));
  g_signal_emit_by_name (CHILD (row, HAIL_TYPE_MESSAGE_ROW, "retry_button"), "clicked");
  g_assert_true (hail_test_wait_until (resent_any, engine, 10000));
  g_assert_cmpint (engine->resent_id, ==, second);
  g_assert_true (hail_test_wait_until (row_says_sent, row, 10000));
  g_assert_false (gtk_widget_get_visible (CHILD (row, HAIL_TYPE_MESSAGE_ROW, "retry_button")));
  /* The other failed message stays as it was. */
  g_assert_true (g_str_has_suffix (row_label (row_at (window, 0), "state_label"),
                                   "Not sent: Not Found"));

  destroy_chat (window);
  close_store (store);
}

static gboolean
error_shown (gpointer data)
{
  return gtk_widget_get_visible (CHAT (data, "error_label"));
}

static void
test_chat_refused_keeps_text (void)
{
  HailStore *store = open_store ();
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  HailChatWindow *window;
  GtkWidget *entry;

  window = g_object_ref_sink (hail_chat_window_new (store, engine, NULL, "sip:zoe@example.test",
                                                    NULL, 0));
  entry = CHAT (window, "message_entry");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (CHAT (window, "list_stack"))),
                   ==, "empty");
  g_assert_false (gtk_widget_get_sensitive (CHAT (window, "send_button")));
  gtk_editable_set_text (GTK_EDITABLE (entry), "   ");
  g_assert_false (gtk_widget_get_sensitive (CHAT (window, "send_button")));
  gtk_editable_set_text (GTK_EDITABLE (entry), "a long draft I do not want to lose");
  g_assert_true (gtk_widget_get_sensitive (CHAT (window, "send_button")));

  g_signal_emit_by_name (entry, "activate");
  g_assert_true (hail_test_wait_until (error_shown, window, 10000));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==,
                   "a long draft I do not want to lose");
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (entry)));
  g_assert_cmpstr (label_text (CHAT (window, "error_label")), ==,
                   "Not sent: The SIP engine is not available in this build.");
  g_assert_true (gtk_widget_get_sensitive (CHAT (window, "send_button")));

  destroy_chat (window);
  close_store (store);
}

static gboolean
has_conversation (gpointer data)
{
  return hail_chat_window_get_conversation_id (data) > 0;
}

/* A new conversation's window picks up its first stored message. */
static void
test_chat_new_conversation (void)
{
  HailStore *store = open_store ();
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  HailChatWindow *window;
  gpointer args[2];

  window = g_object_ref_sink (hail_chat_window_new (store, engine, "alice@example.test",
                                                    "sip:bob@example.test", NULL, 0));
  g_assert_cmpint (hail_chat_window_get_conversation_id (window), ==, 0);
  add_message (store, HAIL_STORE_DIRECTION_IN, "hello there", NULL);
  g_assert_true (hail_test_wait_until (has_conversation, window, 10000));
  args[0] = window;
  args[1] = GUINT_TO_POINTER (1);
  g_assert_true (hail_test_wait_until (has_n_rows, args, 10000));
  g_assert_cmpstr (row_label (row_at (window, 0), "state_label"), !=, "");

  destroy_chat (window);
  close_store (store);
}

static gboolean
entry_cleared (gpointer data)
{
  return *gtk_editable_get_text (GTK_EDITABLE (CHAT (data, "message_entry"))) == '\0';
}

/* Sent: stored by the engine, shown as sending, the entry cleared. */
static void
test_chat_send_stores (void)
{
  HailStore *store = open_store ();
  g_autoptr(TestEngine) engine = g_object_new (TEST_TYPE_ENGINE, NULL);
  HailChatWindow *window;
  gpointer args[2];

  engine->store = g_object_ref (store);
  window = g_object_ref_sink (hail_chat_window_new (store, HAIL_ENGINE (engine),
                                                    "alice@example.test",
                                                    "sip:bob@example.test", "Bob", 0));
  gtk_editable_set_text (GTK_EDITABLE (CHAT (window, "message_entry")), "first words");
  g_signal_emit_by_name (CHAT (window, "message_entry"), "activate");
  /* Read-only while the engine stores it, so nothing typed meanwhile is lost. */
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (CHAT (window, "message_entry"))));
  g_assert_false (gtk_widget_get_sensitive (CHAT (window, "send_button")));
  g_assert_true (hail_test_wait_until (entry_cleared, window, 10000));
  g_assert_cmpuint (engine->sent, ==, 1);
  g_assert_false (gtk_widget_get_visible (CHAT (window, "error_label")));
  args[0] = window;
  args[1] = GUINT_TO_POINTER (1);
  g_assert_true (hail_test_wait_until (has_n_rows, args, 10000));
  g_assert_cmpstr (row_label (row_at (window, 0), "body_label"), ==, "first words");
  g_assert_true (g_str_has_suffix (row_label (row_at (window, 0), "state_label"), "Sending…"));

  /* Composing comes from the engine, for this peer only. */
  g_signal_emit_by_name (engine, "composing", "sip:other@example.test", TRUE);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (CHAT (window,
                                                                     "composing_revealer"))));
  g_signal_emit_by_name (engine, "composing", "sip:bob@example.test", TRUE);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (CHAT (window,
                                                                    "composing_revealer"))));
  g_signal_emit_by_name (engine, "composing", "sip:bob@example.test", FALSE);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (CHAT (window,
                                                                     "composing_revealer"))));

  destroy_chat (window);
  close_store (store);
}

static gboolean
scrollable (gpointer data)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (CHAT (data, "scroller")));

  return gtk_adjustment_get_upper (adj) > gtk_adjustment_get_page_size (adj) + 1;
}

/* The newest page first; scrolling to the top loads the page before. */
static void
test_chat_loads_older (void)
{
  HailStore *store = open_store ();
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  HailChatWindow *window;
  GtkAdjustment *adj;
  gint64 conversation_id = 0;
  gpointer args[2];

  for (guint i = 0; i < 230; i++)
    {
      g_autofree char *body = g_strdup_printf ("message %u", i);

      add_message (store, HAIL_STORE_DIRECTION_OUT, body, i == 0 ? &conversation_id : NULL);
    }
  window = g_object_ref_sink (hail_chat_window_new (store, engine, "alice@example.test",
                                                    "sip:bob@example.test", "Bob",
                                                    conversation_id));
  gtk_window_present (GTK_WINDOW (window));
  args[0] = window;
  args[1] = GUINT_TO_POINTER (200);
  g_assert_true (hail_test_wait_until (has_n_rows, args, 10000));
  g_assert_cmpstr (row_label (row_at (window, 0), "body_label"), ==, "message 30");
  g_assert_true (hail_test_wait_until (scrollable, window, 10000));

  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (CHAT (window, "scroller")));
  gtk_adjustment_set_value (adj, gtk_adjustment_get_lower (adj));
  args[1] = GUINT_TO_POINTER (230);
  g_assert_true (hail_test_wait_until (has_n_rows, args, 10000));
  g_assert_cmpstr (row_label (row_at (window, 0), "body_label"), ==, "message 0");

  destroy_chat (window);
  close_store (store);
}

static void
test_message_markup (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "plain & <simple>", "plain &amp; &lt;simple&gt;" },
    { "(https://a.test/x)", "(<a href=\"https://a.test/x\">https://a.test/x</a>)" },
    { "call sip:bob@b.test, now", "call <a href=\"sip:bob@b.test\">sip:bob@b.test</a>, now" },
    { "xhttp://no.test", "xhttp://no.test" },
    { "http:// alone", "http:// alone" },
    { "\"><a href=\"javascript:x\">", "&quot;&gt;&lt;a href=&quot;javascript:x&quot;&gt;" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *markup = hail_message_row_markup_body (cases[i].in);

      GtkWidget *label = g_object_ref_sink (gtk_label_new (NULL));

      g_assert_cmpstr (markup, ==, cases[i].out);
      /* GtkLabel parses <a>, which Pango does not know; bad markup warns, and
       * warnings are fatal here. */
      gtk_label_set_markup (GTK_LABEL (label), markup);
      g_object_unref (label);
    }
}

/* The main window shows contacts, conversations and calls from the store. */
static gboolean
has_children (gpointer data)
{
  return gtk_list_box_get_row_at_index (GTK_LIST_BOX (data), 0) != NULL &&
         !GTK_IS_LABEL (gtk_list_box_row_get_child (gtk_list_box_get_row_at_index (data, 0)));
}

static void
test_main_window_store (void)
{
  HailStore *store = open_store ();
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  g_autoptr(GListModel) conversations = NULL;
  g_autoptr(GFile) vcard = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "contacts.vcf", NULL);
  HailWindow *window;
  guint n = 0;
  GtkWidget *contacts;
  AdwActionRow *row;

  g_assert_true (g_file_set_contents (path,
                                      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Builder\r\n"
                                      "N:Builder;Bob;;;\r\nIMPP:sip:bob@example.test\r\n"
                                      "END:VCARD\r\n", -1, NULL));
  vcard = g_file_new_for_path (path);
  g_assert_true (hail_store_import_vcard_sync (store, vcard, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  add_message (store, HAIL_STORE_DIRECTION_IN, "ping", NULL);
  conversations = hail_store_list_conversations_sync (store, &error);
  g_assert_no_error (error);

  window = g_object_ref_sink (hail_window_new (NULL, NULL, NULL, engine));
  hail_window_set_store (window, store, conversations);
  contacts = CHILD (window, HAIL_TYPE_WINDOW, "contacts_list");
  g_assert_true (hail_test_wait_until (has_children, contacts, 10000));
  row = ADW_ACTION_ROW (gtk_list_box_get_row_at_index (GTK_LIST_BOX (contacts), 0));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Bob Builder");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "sip:bob@example.test");
  /* One click calls; without an engine it says why, and chatting still works. */
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (row)));
  g_signal_emit_by_name (contacts, "row-activated", row);
  g_assert_false (gtk_widget_get_visible (CHILD (window, HAIL_TYPE_WINDOW, "history_stack")));
  g_assert_true (gtk_widget_get_visible (CHILD (window, HAIL_TYPE_WINDOW,
                                                "conversations_group")));

  /* The contact filter follows the search. */
  gtk_editable_set_text (GTK_EDITABLE (CHILD (window, HAIL_TYPE_WINDOW, "search_entry")),
                         "nobody");
  g_signal_emit_by_name (CHILD (window, HAIL_TYPE_WINDOW, "search_entry"), "search-changed");
  g_assert_false (has_children (contacts));
  g_assert_false (gtk_widget_get_visible (CHILD (window, HAIL_TYPE_WINDOW,
                                                 "conversations_group")));

  hail_window_show_history (window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (
                     GTK_STACK (CHILD (window, HAIL_TYPE_WINDOW, "content_stack"))), ==,
                   "history");

  destroy_chat ((HailChatWindow *) window);
  close_store (store);
}

static gboolean
has_button (GtkWidget  *widget,
            const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    if (has_button (c, label))
      return TRUE;
  return FALSE;
}

/* Each account shows the engine's state, with the reason when it failed. */
static void
test_window_account_state (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(HailAccountList) accounts = hail_account_list_new (settings);
  g_autoptr(TestEngine) engine = g_object_new (TEST_TYPE_ENGINE, NULL);
  g_autoptr(HailAccountConfig) alice = hail_account_config_new ("sip:alice@example.test");
  g_autoptr(HailAccountConfig) bob = hail_account_config_new ("sip:bob@example.test");
  HailWindow *window = g_object_ref_sink (hail_window_new (NULL, settings, accounts,
                                                           HAIL_ENGINE (engine)));
  GtkWidget *list = CHILD (window, HAIL_TYPE_WINDOW, "accounts_list");

  hail_account_list_save (accounts, alice);
  hail_account_list_save (accounts, bob);
  g_signal_emit_by_name (engine, "account-state-changed", "sip:alice@example.test");
  for (int i = 0; i < 2; i++)
    {
      AdwActionRow *row = ADW_ACTION_ROW (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list),
                                                                          i));
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

      gboolean online = g_str_equal (title, "sip:alice@example.test");

      g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                       online ? "Online" : "Not connected: Wrong password");
      g_assert_true (has_button (GTK_WIDGET (row), "Retry") == !online);
    }
  /* A failed account offers Retry, which asks the engine to register again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.retry-account", "s",
                                             "sip:bob@example.test"));
  g_assert_cmpuint (engine->retries, ==, 1);
  g_settings_reset (settings, "accounts");
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static AdwMessageDialog *
shown_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* Remove asks first, says the history stays, and only Remove removes. */
static void
test_window_remove_account (void)
{
  static const char *addresses[] = { "sip:alice@example.test", "sip:bob@example.test" };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(HailAccountList) accounts = hail_account_list_new (settings);
  g_autoptr(HailEngine) engine = hail_offline_engine_new ();
  AdwMessageDialog *dialog;
  HailWindow *window;
  gpointer weak;

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(HailAccountConfig) config = hail_account_config_new (addresses[i]);

      hail_account_list_save (accounts, config);
    }
  window = g_object_ref_sink (hail_window_new (NULL, settings, accounts, engine));
  weak = window;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-account", "s",
                                             "sip:bob@example.test"));
  dialog = shown_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Remove sip:bob@example.test?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "stay in the history"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog,
                                                               HAIL_ACCOUNT_REMOVAL_RESPONSE),
                   ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  /* As a click does: the response, then the dialog goes. */
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (accounts)), ==, 2);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-account", "s",
                                             "sip:bob@example.test"));
  dialog = shown_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, HAIL_ACCOUNT_REMOVAL_RESPONSE);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (accounts)), ==, 1);
  g_assert_true (shown_message_dialog () == NULL);

  g_settings_reset (settings, "accounts");
  /* The keyring call holds the window until it answered. */
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_assert_true (hail_test_wait_until (is_gone, &weak, 10000));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp = app_test_init_homes (&argc, &argv, "hail-test-windows-XXXXXX");

  if (tmp == NULL)
    return 0;

  g_test_add_func ("/app/call-window/incoming-answer", test_call_incoming_answer);
  g_test_add_func ("/app/call-window/controls", test_call_controls);
  g_test_add_func ("/app/call-window/end-reason", test_call_end_reason);
  g_test_add_func ("/app/call-window/waiting", test_call_waiting);
  g_test_add_func ("/app/call-window/quality", test_call_quality);
  g_test_add_func ("/app/chat-window/shows-states", test_chat_shows_states);
  g_test_add_func ("/app/chat-window/refused-keeps-text", test_chat_refused_keeps_text);
  g_test_add_func ("/app/chat-window/new-conversation", test_chat_new_conversation);
  g_test_add_func ("/app/chat-window/send-stores", test_chat_send_stores);
  g_test_add_func ("/app/chat-window/loads-older", test_chat_loads_older);
  g_test_add_func ("/app/chat-window/retry-one", test_chat_retry_one);
  g_test_add_func ("/app/message-row/markup", test_message_markup);
  g_test_add_func ("/app/window/store", test_main_window_store);
  g_test_add_func ("/app/window/account-state", test_window_account_state);
  g_test_add_func ("/app/window/remove-account", test_window_remove_account);

  return g_test_run ();
}
