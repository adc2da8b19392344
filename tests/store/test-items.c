/* test-items.c: the item objects' properties, which hail-store-item.c
 * reads, writes, frees and refreshes from tables of field offsets.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "hail-store-private.h"

#include "hail-test-util.h"

static void
record_notify_cb (GObject    *object,
                  GParamSpec *pspec,
                  GPtrArray  *names)
{
  g_ptr_array_add (names, (gpointer) pspec->name);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The notified names, sorted (GLib picks the order a thaw emits them in). */
static char *
notified (GPtrArray *names)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_copy (names, NULL, NULL);

  g_ptr_array_sort (sorted, compare_names);
  g_ptr_array_add (sorted, NULL);
  return g_strjoinv (" ", (char **) sorted->pdata);
}

/* Every kind of field (int64, string, enum, uint, boolean) goes in through
 * construction and comes back through g_object_get() and the getters. */
static void
test_call_properties (void)
{
  g_autoptr(HailStoreCall) call = NULL;
  g_autofree char *account = NULL;
  g_autofree char *reason = NULL;
  HailStoreDirection direction;
  gint64 id, duration;
  guint status;
  gboolean missed;

  call = g_object_new (HAIL_TYPE_STORE_CALL,
                       "id", (gint64) 42,
                       "account", "sip:alice@example.test",
                       "remote", "sip:bob@example.test",
                       "direction", HAIL_STORE_DIRECTION_OUT,
                       "duration", (gint64) 5000000000,
                       "status", 486,
                       "reason", "Busy Here",
                       "missed", TRUE,
                       NULL);
  g_object_get (call,
                "id", &id,
                "account", &account,
                "direction", &direction,
                "duration", &duration,
                "status", &status,
                "reason", &reason,
                "missed", &missed,
                NULL);
  g_assert_cmpint (id, ==, 42);
  g_assert_cmpstr (account, ==, "sip:alice@example.test");
  g_assert_cmpint (direction, ==, HAIL_STORE_DIRECTION_OUT);
  g_assert_cmpint (duration, ==, 5000000000);
  g_assert_cmpuint (status, ==, 486);
  g_assert_cmpstr (reason, ==, "Busy Here");
  g_assert_true (missed);
  g_assert_cmpstr (hail_store_call_get_remote (call), ==, "sip:bob@example.test");
  g_assert_null (hail_store_call_get_call_id (call));
  g_assert_cmpint (hail_store_call_get_answer_time (call), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&call));
}

/* A string default (content-type) is set at construction like any value. */
static void
test_message_defaults (void)
{
  g_autoptr(HailStoreMessage) message = NULL;

  message = hail_store_message_new ("sip:alice@example.test", "sip:bob@example.test",
                                    HAIL_STORE_DIRECTION_IN, "hello");
  g_assert_cmpstr (hail_store_message_get_content_type (message), ==, "text/plain");
  g_assert_cmpstr (hail_store_message_get_body (message), ==, "hello");
  g_assert_cmpint (hail_store_message_get_state (message), ==, HAIL_STORE_MESSAGE_STATE_QUEUED);
  g_assert_cmpint (hail_store_message_get_mode (message), ==, HAIL_STORE_MESSAGE_MODE_PAGER);
  g_assert_finalize_object (g_steal_pointer (&message));
}

/* Boxed fields (GStrv) are copied in, given out and freed. */
static void
test_contact_addresses (void)
{
  const char *sip[] = { "sip:bob@example.test", "sips:bob@example.test", NULL };
  g_autoptr(HailStoreContact) contact = NULL;
  g_auto(GStrv) copy = NULL;

  contact = g_object_new (HAIL_TYPE_STORE_CONTACT,
                          "name", "Bob",
                          "sip-addresses", sip,
                          NULL);
  g_object_get (contact, "sip-addresses", &copy, NULL);
  g_assert_cmpstrv (copy, sip);
  g_assert_cmpstrv (hail_store_contact_get_sip_addresses (contact), sip);
  /* Unset lists read as empty, never NULL. */
  g_assert_nonnull (hail_store_contact_get_phone_numbers (contact));
  g_assert_null (hail_store_contact_get_phone_numbers (contact)[0]);
  g_assert_null (hail_store_contact_get_avatar_path (contact));
  g_assert_finalize_object (g_steal_pointer (&contact));
}

/* An update copies only the mutable fields and notifies only those that
 * changed, once each. */
static void
test_message_update (void)
{
  g_autoptr(HailStoreMessage) live = NULL;
  g_autoptr(HailStoreMessage) fresh = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *list = NULL;

  live = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                       "id", (gint64) 7, "body", "hi", "state", HAIL_STORE_MESSAGE_STATE_SENDING,
                       "status", 0, "send-attempts", 1, NULL);
  fresh = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                        "id", (gint64) 7, "body", "other", "state", HAIL_STORE_MESSAGE_STATE_FAILED,
                        "status", 0, "reason", "Request Timeout", "send-attempts", 1, NULL);
  g_signal_connect (live, "notify", G_CALLBACK (record_notify_cb), names);

  _hail_store_message_update (live, fresh);

  list = notified (names);
  g_assert_cmpstr (list, ==, "reason state");
  g_assert_cmpint (hail_store_message_get_state (live), ==, HAIL_STORE_MESSAGE_STATE_FAILED);
  g_assert_cmpstr (hail_store_message_get_reason (live), ==, "Request Timeout");
  g_assert_cmpstr (hail_store_message_get_body (live), ==, "hi");
  g_assert_finalize_object (g_steal_pointer (&fresh));
  g_assert_finalize_object (g_steal_pointer (&live));
}

/* A snapshot equal to the live item changes nothing and notifies nothing. */
static void
test_conversation_update_unchanged (void)
{
  g_autoptr(HailStoreConversation) live = NULL;
  g_autoptr(HailStoreConversation) fresh = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *list = NULL;

  live = g_object_new (HAIL_TYPE_STORE_CONVERSATION, "id", (gint64) 3, "title", "Bob",
                       "last-activity", (gint64) 100, "unread-count", 2, NULL);
  fresh = g_object_new (HAIL_TYPE_STORE_CONVERSATION, "id", (gint64) 3, "title", "Bob",
                        "last-activity", (gint64) 100, "unread-count", 2, NULL);
  g_signal_connect (live, "notify", G_CALLBACK (record_notify_cb), names);

  _hail_store_conversation_update (live, fresh);
  g_assert_cmpuint (names->len, ==, 0);

  g_clear_object (&fresh);
  fresh = g_object_new (HAIL_TYPE_STORE_CONVERSATION, "id", (gint64) 3, "title", NULL,
                        "last-activity", (gint64) 100, "unread-count", 0, NULL);
  _hail_store_conversation_update (live, fresh);
  list = notified (names);
  g_assert_cmpstr (list, ==, "title unread-count");
  g_assert_null (hail_store_conversation_get_title (live));
  g_assert_cmpuint (hail_store_conversation_get_unread_count (live), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&fresh));
  g_assert_finalize_object (g_steal_pointer (&live));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/items/call-properties", test_call_properties);
  g_test_add_func ("/store/items/message-defaults", test_message_defaults);
  g_test_add_func ("/store/items/contact-addresses", test_contact_addresses);
  g_test_add_func ("/store/items/message-update", test_message_update);
  g_test_add_func ("/store/items/conversation-update-unchanged",
                   test_conversation_update_unchanged);

  return g_test_run ();
}
