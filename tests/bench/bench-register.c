/* bench-register.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Authenticated REGISTER against a running registrar (the harness
 * Kamailio, started by bench-register.py):
 *
 *   bench-register HOST:PORT udp|tcp SEQUENTIAL PARALLEL
 *
 * 1. time to the first `registered` of a new stack (401, then 200), the
 *    median of 20 fresh registrations;
 * 2. SEQUENTIAL refreshes of one registration, one after the other: each
 *    is one authenticated round trip (the credentials are cached, RFC 7616
 *    §3.4), as REGISTERs per second;
 * 3. PARALLEL user agents registering at once, each with its own stack
 *    and socket (the harness has three users, alice, bob and carol,
 *    cycled: each agent is its own Call-ID, Contact and +sip.instance),
 *    ten rounds, as REGISTERs per second. One socket for all would measure
 *    its receive buffer instead: Kamailio's 200 lists every binding of the
 *    AOR, 4.5 kB each here, and 100 of them overflow the default 208 kB.
 * Prints figures; never fails on speed.
 */
#include "config.h"

#include "hail-sip-registration.h"

#include <stdio.h>
#include <stdlib.h>

static const char * const users[] = { "alice", "bob", "carol" };

typedef struct {
  guint pending;
  guint failed;
} Batch;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Batch *batch = user_data;
  g_autoptr(GError) error = NULL;

  if (!hail_sip_registration_register_finish (HAIL_SIP_REGISTRATION (source), result, &error))
    {
      g_printerr ("REGISTER failed: %s\n", error->message);
      batch->failed++;
    }
  batch->pending--;
}

static void
run_batch (Batch *batch)
{
  /* Every wait is bounded: 32 s is timer F at the default T1. */
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (batch->pending > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (batch->pending > 0)
    {
      g_printerr ("%u REGISTERs still pending after 60 s\n", batch->pending);
      exit (1);
    }
}

static HailSipStack *
new_stack (void)
{
  g_autoptr(HailSipTransport) transport = hail_sip_transport_new ();
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GInetSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  HailSipStack *stack = hail_sip_stack_new (transport);

  bound = hail_sip_stack_listen (stack, HAIL_SIP_TRANSPORT_KIND_UDP, G_INET_SOCKET_ADDRESS (any),
                                 &error);
  if (bound == NULL)
    g_error ("Cannot bind: %s", error->message);
  return stack;
}

static HailSipRegistration *
new_registration (HailSipStack *stack,
                  const char   *registrar,
                  gint          kind,
                  guint         n)
{
  const char *user = users[n % G_N_ELEMENTS (users)];
  g_autofree char *aor_text = g_strdup_printf ("sip:%s@example.test", user);
  g_autofree char *password = g_strdup_printf ("%s-secret", user);
  g_autofree char *instance = g_strdup_printf ("urn:uuid:00000000-0000-4000-8000-%012u", n);
  g_autoptr(HailSipUri) aor = hail_sip_uri_parse (aor_text, -1, NULL);
  g_autoptr(HailSipUri) proxy = hail_sip_uri_parse (registrar, -1, NULL);
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new (user, NULL, password);
  HailSipRegistration *reg = hail_sip_registration_new (stack, auth, aor, proxy, instance);

  hail_sip_registration_set_transport (reg, kind);
  hail_sip_registration_set_expires (reg, 600);
  return reg;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *registrar = NULL;
  g_autoptr(HailSipStack) stack = NULL;
  g_autoptr(GPtrArray) regs = NULL;
  g_autoptr(GPtrArray) stacks = NULL;
  double first[20];
  gint kind;
  guint sequential, parallel;
  gint64 t0;
  double seconds;

  if (argc != 5)
    {
      g_printerr ("usage: %s HOST:PORT udp|tcp SEQUENTIAL PARALLEL\n", argv[0]);
      return 2;
    }
  kind = g_str_equal (argv[2], "tcp") ? HAIL_SIP_TRANSPORT_KIND_TCP : HAIL_SIP_TRANSPORT_KIND_UDP;
  registrar = g_strdup_printf ("sip:%s;transport=%s", argv[1], argv[2]);
  sequential = (guint) atoi (argv[3]);
  parallel = (guint) atoi (argv[4]);

  /* 1. A new stack to `registered`: resolve, REGISTER, 401, REGISTER, 200. */
  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    {
      g_autoptr(HailSipStack) fresh = new_stack ();
      g_autoptr(HailSipRegistration) reg = new_registration (fresh, registrar, kind, 1000 + i);
      Batch batch = { 1, 0 };

      t0 = g_get_monotonic_time ();
      hail_sip_registration_register_async (reg, NULL, done_cb, &batch);
      run_batch (&batch);
      first[i] = (g_get_monotonic_time () - t0) / 1000.0;
      if (batch.failed)
        return 1;
    }
  qsort (first, G_N_ELEMENTS (first), sizeof first[0], compare_doubles);
  printf ("%s: new stack to registered (401 + 200): median %.2f ms, min %.2f, max %.2f "
          "(%zu runs)\n", argv[2], first[G_N_ELEMENTS (first) / 2], first[0],
          first[G_N_ELEMENTS (first) - 1], G_N_ELEMENTS (first));

  /* 2. Sequential authenticated refreshes of one binding. */
  stack = new_stack ();
  {
    g_autoptr(HailSipRegistration) reg = new_registration (stack, registrar, kind, 0);
    Batch batch = { 1, 0 };

    hail_sip_registration_register_async (reg, NULL, done_cb, &batch);
    run_batch (&batch);
    t0 = g_get_monotonic_time ();
    for (guint i = 0; i < sequential && batch.failed == 0; i++)
      {
        batch.pending = 1;
        hail_sip_registration_register_async (reg, NULL, done_cb, &batch);
        run_batch (&batch);
      }
    if (batch.failed)
      return 1;
    seconds = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
    printf ("%s: %u sequential authenticated REGISTERs in %.3f s: %.0f per second "
            "(%.3f ms each)\n", argv[2], sequential, seconds, sequential / seconds,
            1000.0 * seconds / sequential);
  }

  /* 3. PARALLEL agents at once, ten rounds. */
  regs = g_ptr_array_new_with_free_func (g_object_unref);
  stacks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < parallel; i++)
    {
      g_ptr_array_add (stacks, new_stack ());
      g_ptr_array_add (regs, new_registration (g_ptr_array_index (stacks, i), registrar, kind,
                                               i + 1));
    }
  {
    Batch batch = { parallel, 0 };

    /* The first round answers each challenge; later rounds are cached. */
    for (guint i = 0; i < parallel; i++)
      hail_sip_registration_register_async (g_ptr_array_index (regs, i), NULL, done_cb, &batch);
    run_batch (&batch);
    if (batch.failed)
      return 1;
    t0 = g_get_monotonic_time ();
    for (guint round = 0; round < 10; round++)
      {
        batch.pending = parallel;
        for (guint i = 0; i < parallel; i++)
          hail_sip_registration_register_async (g_ptr_array_index (regs, i), NULL, done_cb,
                                                &batch);
        run_batch (&batch);
        if (batch.failed)
          return 1;
      }
    seconds = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
    printf ("%s: %u parallel agents x 10 rounds: %u authenticated REGISTERs in %.3f s: "
            "%.0f per second\n", argv[2], parallel, parallel * 10, seconds,
            parallel * 10 / seconds);
  }
  return 0;
}
