// A one-function shim for TorchSharp-cpu 0.107 on Debian 12 (benchmarks only; see ../README.md, ../run-compare.sh).
//
// libLibTorchSharp.so was built with GCC 13+, whose <iostream> no longer puts a static std::ios_base::Init in every
// translation unit but calls std::ios_base_library_init() (libstdc++ 3.4.32) instead. Debian 12's libstdc++ (GCC 12)
// has no such function. This library defines it, doing what the GCC 12 headers do: keep one std::ios_base::Init alive,
// which constructs cout, cin, cerr and clog (reference-counted, so it is harmless when libstdc++ already did).
// Loaded with LD_PRELOAD, it satisfies the reference; run-compare.sh also marks the GLIBCXX_3.4.32 requirement of the
// output's copy of libLibTorchSharp.so weak (weaken-version.cpp), so the loader no longer refuses the library.
#include <ios>

namespace
{
    std::ios_base::Init init_at_load; // iostreams ready as soon as the shim is loaded
}

namespace std
{
    // mangled _ZSt21ios_base_library_initv, as the GCC 13 headers declare it
    __attribute__((visibility("default"))) void ios_base_library_init()
    {
        static std::ios_base::Init init;
    }
}
