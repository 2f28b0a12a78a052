// weaken-version FILE VERSION: marks every requirement of FILE (an ELF64 little-endian shared library) on the symbol
// version VERSION (e.g. GLIBCXX_3.4.32) weak (VER_FLG_WEAK in its Elf64_Vernaux entry), in place. A weak version
// requirement that the providing library lacks is not fatal to the dynamic loader; the symbols bound to it are then
// found wherever they are defined (here: the LD_PRELOADed shim). Idempotent. Exit code 0 when at least one
// requirement is weak afterwards, 1 when FILE requires no such version, 2 on error.
// Built and run by ../run-compare.sh (benchmarks only); does the job patchelf cannot (it has no option to weaken a
// version requirement).
#include <elf.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace
{
    template <typename T>
    bool read_at(const std::vector<char>& image, size_t offset, T& value)
    {
        if (offset > image.size() || image.size() - offset < sizeof(T)) return false;
        std::memcpy(&value, image.data() + offset, sizeof(T));
        return true;
    }

    int fail(const std::string& message)
    {
        std::fprintf(stderr, "weaken-version: %s\n", message.c_str());
        return 2;
    }
}

int main(int argc, char** argv)
{
    if (argc != 3) return fail("usage: weaken-version FILE VERSION");
    const std::string path = argv[1], wanted = argv[2];
    std::vector<char> image;
    {
        std::ifstream in(path, std::ios::binary);
        if (!in) return fail("cannot open " + path);
        image.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    Elf64_Ehdr header;
    if (!read_at(image, 0, header) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 ||
        header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB)
        return fail(path + " is not a little-endian ELF64 file");

    std::vector<Elf64_Shdr> sections(header.e_shnum);
    for (size_t i = 0; i < sections.size(); i++)
        if (!read_at(image, header.e_shoff + i * header.e_shentsize, sections[i])) return fail("truncated section table");

    int found = 0, changed = 0;
    for (const auto& section : sections)
    {
        if (section.sh_type != SHT_GNU_verneed) continue;
        if (section.sh_link >= sections.size()) return fail("bad string table link");
        const Elf64_Shdr& strings = sections[section.sh_link];
        size_t need_offset = section.sh_offset;
        for (Elf64_Word n = 0; n < section.sh_info; n++)
        {
            Elf64_Verneed need;
            if (!read_at(image, need_offset, need)) return fail("truncated verneed entry");
            size_t aux_offset = need_offset + need.vn_aux;
            for (Elf64_Half a = 0; a < need.vn_cnt; a++)
            {
                Elf64_Vernaux aux;
                if (!read_at(image, aux_offset, aux)) return fail("truncated vernaux entry");
                size_t name_offset = strings.sh_offset + aux.vna_name;
                if (name_offset >= image.size()) return fail("bad version name offset");
                const char* name = image.data() + name_offset;
                if (wanted == std::string(name, strnlen(name, image.size() - name_offset)))
                {
                    found++;
                    if (!(aux.vna_flags & VER_FLG_WEAK))
                    {
                        aux.vna_flags |= VER_FLG_WEAK;
                        std::memcpy(image.data() + aux_offset, &aux, sizeof aux);
                        changed++;
                    }
                }
                if (aux.vna_next == 0) break;
                aux_offset += aux.vna_next;
            }
            if (need.vn_next == 0) break;
            need_offset += need.vn_next;
        }
    }
    if (found == 0)
    {
        std::printf("weaken-version: %s requires no version %s: nothing to do\n", path.c_str(), wanted.c_str());
        return 1;
    }
    if (changed > 0)
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        if (!out.write(image.data(), static_cast<std::streamsize>(image.size()))) return fail("cannot write " + path);
    }
    std::printf("weaken-version: %s: %d requirement(s) on %s weak (%d changed now)\n", path.c_str(), found, wanted.c_str(), changed);
    return 0;
}
