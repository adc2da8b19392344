/* hail-cli.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hail-cli: Hail's SIP core without a window. The contract it keeps is in
 * ../shared/CLI.md; exit 0 success, 1 the network or peer said no,
 * 2 bad usage or bad input.
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "hail-cli-call.h"
#include "hail-cli-context.h"
#include "hail-sip-error.h"

typedef int (*CommandFunc) (HailCliContext *ctx,
                            int             argc,
                            char          **argv);

/* A command without a function is in the contract but not in this build. */
static const struct {
  const char  *name;
  const char  *synopsis;
  CommandFunc  run;
} commands[] = {
  { "register", "register [--stay]", hail_cli_register_run },
  { "message", "message URI TEXT|- [--each-line] [--rate N] [--cpim] [--imdn]",
    hail_cli_message_run },
  { "call", "call URI [--duration S] [--dtmf DIGITS] [--play WAV] [--record WAV]",
    hail_cli_call_run },
  { "listen", "listen [--for S] [--auto-answer] [--play WAV] [--record-dir DIR] [--reject CODE] "
    "[--download-dir DIR]", hail_cli_listen_run },
  { "options", "options URI", hail_cli_options_run },
  { "send-file", "send-file URI FILE [--max-file-size BYTES]", hail_cli_send_file_run },
};

static char *
commands_description (void)
{
  GString *s = g_string_new (_("Commands:"));

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (s, "\n  %s", commands[i].synopsis);
  return g_string_free (s, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  HailCliContext ctx = { .opts.expires = 3600 };
  HailCliOptions opts = { .expires = 3600 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &opts.account,
      N_("Address of record"), "sip:USER@DOMAIN" },
    { "auth-user", 0, 0, G_OPTION_ARG_STRING, &opts.auth_user,
      N_("Digest user name, when it is not USER"), "NAME" },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &opts.password_stdin,
      N_("Read the password from the first line of standard input"), NULL },
    { "proxy", 0, 0, G_OPTION_ARG_STRING, &opts.proxy,
      N_("Registrar or outbound proxy"), "URI" },
    { "transport", 0, 0, G_OPTION_ARG_STRING, &opts.transport,
      N_("Transport when --proxy does not say"), "udp|tcp|tls" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &opts.listen,
      N_("Local address to bind (default 0.0.0.0:0)"), "HOST:PORT" },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &opts.ca_file,
      N_("Extra trusted CA for TLS"), "FILE" },
    { "msrp-relay", 0, 0, G_OPTION_ARG_STRING, &opts.msrp_relay,
      N_("MSRP relay for message sessions (RFC 4976)"), "msrps://HOST:PORT;tcp" },
    { "expires", 0, 0, G_OPTION_ARG_INT, &opts.expires,
      N_("Registration lifetime asked for (default 3600)"), "N" },
    { "no-register", 0, 0, G_OPTION_ARG_NONE, &opts.no_register,
      N_("Do not REGISTER before the command"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &opts.json,
      N_("Machine-readable events, one JSON object per line"), NULL },
    { "trace", 0, 0, G_OPTION_ARG_NONE, &opts.trace,
      N_("Write every SIP message to standard error, credentials redacted"), NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &opts.db,
      N_("History database for messages (default: the user's)"), "FILE" },
    { "no-history", 0, 0, G_OPTION_ARG_NONE, &opts.no_history,
      N_("Do not write messages to the history"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &opts.version,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("COMMAND [ARGS] - SIP calls and messages from the command line"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  description = commands_description ();
  g_option_context_set_description (context, description);
  /* Command options (--duration, --auto-answer, ...) follow the command. */
  g_option_context_set_strict_posix (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("hail-cli: %s\n", error->message);
      return 2;
    }

  if (opts.version)
    {
      g_print ("hail-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (argc < 2)
    {
      g_printerr ("hail-cli: %s\n", _("a command is required; see --help"));
      return 2;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      {
        int code;

        if (commands[i].run == NULL)
          {
            g_printerr ("hail-cli: %s\n", _("this command is not available in this build yet"));
            return 2;
          }
        ctx.opts = opts;
        code = commands[i].run (&ctx, argc - 1, argv + 1);
        hail_cli_context_clear (&ctx);
        g_free (opts.account);
        g_free (opts.auth_user);
        g_free (opts.proxy);
        g_free (opts.transport);
        g_free (opts.listen);
        g_free (opts.ca_file);
        g_free (opts.msrp_relay);
        g_free (ctx.opts.db);
        return code;
      }

  g_printerr ("hail-cli: %s: %s\n", argv[1], _("unknown command; see --help"));
  return 2;
}
