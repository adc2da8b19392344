/* test-message-wrap.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Long messages wrap (issue #7, chat windows): a message bubble never
 * asks for more width than a chat window has, however long its text and
 * even with no space to break at, and grows in height instead.
 */
#include "config.h"

#include "hail-message-row.h"

#include "app-test-util.h"

/* The chat window's default width (ui/hail-chat-window.ui). */
#define CHAT_WIDTH 480

static void
check_wraps (const char *body)
{
  g_autoptr(HailStoreMessage) message = hail_store_message_new ("sip:alice@example.test",
                                                                "sip:bob@example.test",
                                                                HAIL_STORE_DIRECTION_IN, body);
  GtkWidget *row = g_object_ref_sink (hail_message_row_new (message));
  int min_width, nat_width, min_height, nat_height, one_line;

  gtk_widget_measure (row, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &nat_width, NULL, NULL);
  g_assert_cmpint (min_width, <, CHAT_WIDTH / 2);
  g_assert_cmpint (nat_width, <=, CHAT_WIDTH);
  gtk_widget_measure (row, GTK_ORIENTATION_VERTICAL, CHAT_WIDTH, &min_height, &nat_height,
                      NULL, NULL);
  g_object_unref (row);

  /* The same bubble with one short line, for scale. */
  g_clear_object (&message);
  message = hail_store_message_new ("sip:alice@example.test", "sip:bob@example.test",
                                    HAIL_STORE_DIRECTION_IN, "ok");
  row = g_object_ref_sink (hail_message_row_new (message));
  gtk_widget_measure (row, GTK_ORIENTATION_VERTICAL, CHAT_WIDTH, &one_line, NULL, NULL, NULL);
  g_object_unref (row);
  g_assert_cmpint (min_height, >, 5 * one_line);
}

static void
test_long_words (void)
{
  g_autofree char *body = g_strnfill (4000, 'x');

  check_wraps (body);
}

static void
test_long_text (void)
{
  g_autoptr(GString) body = g_string_new (NULL);

  for (guint i = 0; i < 300; i++)
    g_string_append (body, "a long message in many words ");
  g_string_append (body, "https://example.test/a/very/long/link/that/goes/on/and/on/and/on");
  check_wraps (body->str);
}

int
main (int   argc,
      char *argv[])
{
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/app/message-row/wraps-long-words", test_long_words);
  g_test_add_func ("/app/message-row/wraps-long-text", test_long_text);

  return g_test_run ();
}
