// The two LAPACK routines CBC's LU factorisation calls (CoinUtils, when a
// basis turns dense), loaded the first time one is called rather than at
// every start. Linked, LAPACK brought BLAS, gfortran and quadmath with it:
// about 0.6 ms of every claw run, `claw --version` included, though most
// runs never call either routine. The library is Debian's liblapack3,
// which CoinUtils depends on.
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

extern "C" {
// The Fortran ABI as CoinUtils calls it: every argument by address, and the
// length of the character argument last, by value.
using Dgetrf = void(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info);
using Dgetrs = void(const char* trans, const int* n, const int* nrhs, const double* a, const int* lda, const int* ipiv,
                    double* b, const int* ldb, int* info, int trans_length);
}

namespace {

constexpr const char* kLapack = "liblapack.so.3";

/// The routine `name` of LAPACK; a missing library or routine ends the
/// program with a message, as a failed link at start would have.
void* lapack_routine(const char* name) {
  static void* library = [] {
    void* handle = ::dlopen(kLapack, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      std::fprintf(stderr, "claw: cannot load LAPACK (%s), which the placement solver needs: %s\n", kLapack,
                   ::dlerror());
      std::abort();
    }
    return handle;
  }();
  void* routine = ::dlsym(library, name);
  if (routine == nullptr) {
    std::fprintf(stderr, "claw: %s has no routine %s\n", kLapack, name);
    std::abort();
  }
  return routine;
}

}  // namespace

extern "C" void dgetrf_(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info) {
  static auto* const routine = reinterpret_cast<Dgetrf*>(lapack_routine("dgetrf_"));
  routine(m, n, a, lda, ipiv, info);
}

extern "C" void dgetrs_(const char* trans, const int* n, const int* nrhs, const double* a, const int* lda,
                        const int* ipiv, double* b, const int* ldb, int* info, int trans_length) {
  static auto* const routine = reinterpret_cast<Dgetrs*>(lapack_routine("dgetrs_"));
  routine(trans, n, nrhs, a, lda, ipiv, b, ldb, info, trans_length);
}
