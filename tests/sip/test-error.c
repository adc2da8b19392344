/* test-error.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sip-error.h"

static void
test_error_domains_distinct (void)
{
  g_autoptr(GError) error = g_error_new (HAIL_SIP_STATUS_ERROR, 486, "Busy Here");

  g_assert_cmpuint (HAIL_SIP_ERROR, !=, 0);
  g_assert_cmpuint (HAIL_SIP_ERROR, !=, HAIL_SIP_STATUS_ERROR);
  g_assert_cmpstr (g_quark_to_string (HAIL_SIP_ERROR), ==, "hail-sip-error-quark");
  g_assert_error (error, HAIL_SIP_STATUS_ERROR, 486);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/error/domains-distinct", test_error_domains_distinct);
  return g_test_run ();
}
