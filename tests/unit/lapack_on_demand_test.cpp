// CBC's two LAPACK routines, loaded on first call
// (placement/lapack_on_demand.cpp), solve a small system exactly as
// LAPACK would: the forwarding keeps the Fortran ABI, character length
// included.
#include <doctest/doctest.h>

extern "C" {
void dgetrf_(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info);
void dgetrs_(const char* trans, const int* n, const int* nrhs, const double* a, const int* lda, const int* ipiv,
             double* b, const int* ldb, int* info, int trans_length);
}

TEST_CASE("LAPACK on demand: an LU factorisation and both solves of a 3x3 system") {
  // A = [[2, 1, 1], [4, -6, 0], [-2, 7, 2]] in column-major order; a
  // pivoting factorisation is needed (the largest first-column entry is in
  // row 2).
  const double a[9] = {2, 4, -2, 1, -6, 7, 1, 0, 2};
  double lu[9];
  for (int i = 0; i < 9; ++i) lu[i] = a[i];
  const int n = 3, one = 1;
  int ipiv[3] = {0, 0, 0}, info = -1;
  dgetrf_(&n, &n, lu, &n, ipiv, &info);
  REQUIRE(info == 0);
  CHECK(ipiv[0] == 2);

  // A x = b with x = (1, 2, 3): b = (7, -8, 18).
  double b[3] = {7, -8, 18};
  info = -1;
  dgetrs_("N", &n, &one, lu, &n, ipiv, b, &n, &info, 1);
  REQUIRE(info == 0);
  CHECK(b[0] == doctest::Approx(1.0));
  CHECK(b[1] == doctest::Approx(2.0));
  CHECK(b[2] == doctest::Approx(3.0));

  // Aᵀ y = c with y = (1, -1, 2): c = (2 - 4 - 4, 1 + 6 + 14, 1 + 0 + 4) = (-6, 21, 5).
  double c[3] = {-6, 21, 5};
  info = -1;
  dgetrs_("T", &n, &one, lu, &n, ipiv, c, &n, &info, 1);
  REQUIRE(info == 0);
  CHECK(c[0] == doctest::Approx(1.0));
  CHECK(c[1] == doctest::Approx(-1.0));
  CHECK(c[2] == doctest::Approx(2.0));
}
