/* test-event.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-cli-event.h"

static void
test_event_json_fields (void)
{
  g_autoptr(HailCliEvent) ev = hail_cli_event_new ("registered");
  g_autofree char *json = NULL;

  hail_cli_event_add_int (ev, "expires", 3600);
  hail_cli_event_add_string (ev, "contact", "<sip:alice@127.0.0.1:5080>");
  hail_cli_event_add_bool (ev, "ok", TRUE);
  json = hail_cli_event_to_json (ev);
  g_assert_cmpstr (json, ==,
                   "{\"event\":\"registered\",\"expires\":3600,"
                   "\"contact\":\"<sip:alice@127.0.0.1:5080>\",\"ok\":true}");
}

static void
test_event_json_escapes (void)
{
  g_autoptr(HailCliEvent) ev = hail_cli_event_new ("message-received");
  g_autofree char *json = NULL;

  /* Quotes, backslashes, control characters, UTF-8 kept, invalid bytes replaced. */
  hail_cli_event_add_string (ev, "body", "a\"b\\c\n\x01\x1b[31m 你好 \xff!");
  json = hail_cli_event_to_json (ev);
  g_assert_cmpstr (json, ==,
                   "{\"event\":\"message-received\","
                   "\"body\":\"a\\\"b\\\\c\\n\\u0001\\u001b[31m 你好 \xef\xbf\xbd!\"}");
  g_assert_true (g_utf8_validate (json, -1, NULL));
}

static void
test_event_text (void)
{
  g_autoptr(HailCliEvent) ev = hail_cli_event_new ("registration-failed");
  g_autofree char *text = NULL;

  hail_cli_event_add_int (ev, "status", 403);
  hail_cli_event_add_string (ev, "reason", "Forbidden by server");
  hail_cli_event_add_string (ev, "peer", "127.0.0.1:5060");
  hail_cli_event_add_string (ev, "evil", "\x1b]0;x");
  text = hail_cli_event_to_text (ev);
  g_assert_cmpstr (text, ==,
                   "registration-failed status=403 reason=\"Forbidden by server\" "
                   "peer=127.0.0.1:5060 evil=\"\\u001b]0;x\"");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/event/json-fields", test_event_json_fields);
  g_test_add_func ("/cli/event/json-escapes", test_event_json_escapes);
  g_test_add_func ("/cli/event/text", test_event_text);
  return g_test_run ();
}
