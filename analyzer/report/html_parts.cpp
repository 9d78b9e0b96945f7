#include "report/html_parts.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

namespace pgw::html {

std::string esc(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string seconds(double s) {
    char buf[32];
    if (s < 1)
        std::snprintf(buf, sizeof buf, "%.1f ms", s * 1000);
    else
        std::snprintf(buf, sizeof buf, "%.2f s", s);
    return buf;
}

int lock_strength(const std::string& mode) {
    // https://www.postgresql.org/docs/15/explicit-locking.html#TABLE-LOCK-COMPATIBILITY
    if (mode == "AccessExclusiveLock") return 3;
    if (mode == "ShareLock" || mode == "ShareRowExclusiveLock" || mode == "ExclusiveLock") return 2;
    if (mode == "ShareUpdateExclusiveLock") return 1;
    return 0;
}

std::string definition(const std::string& text) {
    if (text.empty()) return "";
    return "<div class=\"def\"><button type=\"button\" class=\"copy\" onclick=\"copyDef(this)\" "
           "title=\"copy the definition\">copy</button><pre>" +
           esc(text) + "</pre></div>";
}

std::string anchor(const std::string& kind, const std::string& name) {
    std::string out = "obj-";
    for (char c : kind + "-" + name) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
    return out;
}

std::vector<std::pair<std::string, std::string>> display_order(
    const std::set<std::pair<std::string, std::string>>& keys,
    const std::map<std::pair<std::string, std::string>, std::string>& parents) {
    static const std::vector<std::string> children = {"column", "constraint", "index", "trigger",
                                                      "policy"};
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> of_table;
    std::vector<std::pair<std::string, std::string>> tables, rest;
    std::set<std::string> table_names;
    for (const auto& k : keys)
        if (k.first == "table") table_names.insert(k.second);
    for (const auto& k : keys) {
        if (k.first == "table") {
            tables.push_back(k);
            continue;
        }
        bool child = false;
        for (const auto& c : children) child = child || k.first == c;
        auto p = parents.find(k);
        std::string parent =
            child && p != parents.end() && table_names.count(p->second) ? p->second : "";
        if (!parent.empty())
            of_table[parent].push_back(k);
        else
            rest.push_back(k);
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& t : tables) {
        out.push_back(t);
        auto& kids = of_table[t.second];
        std::stable_sort(kids.begin(), kids.end(), [&](const auto& a, const auto& b) {
            auto rank = [&](const std::string& kind) {
                return std::find(children.begin(), children.end(), kind) - children.begin();
            };
            return rank(a.first) < rank(b.first);
        });
        out.insert(out.end(), kids.begin(), kids.end());
    }
    static const std::vector<std::string> order = {
        "schema", "extension", "type", "sequence", "view", "materialized view", "function"};
    std::stable_sort(rest.begin(), rest.end(), [&](const auto& a, const auto& b) {
        auto rank = [&](const std::string& kind) {
            return std::find(order.begin(), order.end(), kind) - order.begin();
        };
        return rank(a.first) < rank(b.first);
    });
    std::vector<std::pair<std::string, std::string>> all = rest;
    all.insert(all.end(), out.begin(), out.end());
    return all;
}

const char* const kStyle = R"CSS(
:root{--red:#c62828;--red-bg:#fdecea;--amber:#a15c00;--amber-bg:#fff4e0;--green:#2e7d32;--ink:#1f2328;
--muted:#656d76;--line:#d8dee4;--bg:#f6f8fa}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:#fff}
header{padding:18px 28px;background:#24292f;color:#fff;display:flex;gap:24px;align-items:baseline;flex-wrap:wrap}
header h1{margin:0;font-size:20px}header h1 span{font-weight:400;opacity:.75}.summary{opacity:.95}
.summary .e{color:#ff8a80}.summary .w{color:#ffd180}.server{font-size:12px;opacity:.75}.version{margin-left:auto;font-size:12px;opacity:.6}
main{padding:8px 28px 40px}h2{font-size:17px;margin:26px 0 10px;border-bottom:1px solid var(--line);padding-bottom:6px}
h2 small{font-weight:400;color:var(--muted);font-size:13px}code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}
table{border-collapse:collapse;width:100%;margin:6px 0 14px}th,td{border:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
thead th{background:var(--bg);font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
.sev{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;font-weight:600}
.sev-error{background:var(--red-bg);color:var(--red)}.sev-warning{background:var(--amber-bg);color:var(--amber)}.sev-info{background:#e8f0fe;color:#1a56c4}
.where{white-space:nowrap;font-family:ui-monospace,monospace;font-size:12px}.ok{color:var(--green)}.quiet{color:var(--muted)}
.sides{table-layout:fixed}.sides th.obj{width:26%;font-weight:400;background:#fff}.sides td{width:37%}
.kind{display:inline-block;min-width:62px;font-size:11px;text-transform:uppercase;color:var(--muted)}
tr.same td,tr.same th{color:#57606a}tr.diff th.obj{border-left:4px solid #d4a72c}tr.diff td:not(.absent){background:var(--amber-bg)}
tr.diff.breaking th.obj{border-left:4px solid var(--red)}tr.diff.breaking td:not(.absent){background:var(--red-bg)}
tr.diff.breaking .what{color:var(--red)}.what{font-size:12px;color:var(--amber);margin-top:3px}
.detail{font-family:ui-monospace,monospace;font-size:11.5px;margin-top:2px;word-break:break-word}
td.absent{background:repeating-linear-gradient(45deg,#fafbfc,#fafbfc 6px,#f0f2f4 6px,#f0f2f4 12px);color:var(--muted);font-style:italic}
.def{position:relative}.def pre{margin:0;white-space:pre-wrap;word-break:break-word;font:12px/1.4 ui-monospace,monospace;padding-right:48px}
.copy{position:absolute;top:0;right:0;font-size:11px;padding:2px 7px;border:1px solid var(--line);border-radius:5px;background:#fff;cursor:pointer}
.copy.done{border-color:var(--green);color:var(--green)}
details.migration{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:6px 10px}details.migration.failed{border-color:var(--red)}
details summary{cursor:pointer}.outcome{color:var(--muted)}.failed .outcome{color:var(--red);font-weight:600}.time{color:var(--muted);font-size:12px;white-space:nowrap}
.sql{display:block;max-height:7.5em;overflow:auto;white-space:pre-wrap}.lock{display:inline-block;margin:1px 2px;padding:0 6px;border-radius:4px;font-size:11.5px;background:#eef1f4}
.lock-1{background:#e3f2fd}.lock-2{background:var(--amber-bg);color:var(--amber)}.lock-3{background:var(--red-bg);color:var(--red);font-weight:600}
.bad{color:var(--red);font-weight:600}.error{color:var(--red);margin-top:4px}.tag{font-size:11px;background:#e3f2fd;border-radius:4px;padding:0 5px}
.note{background:var(--bg);padding:6px 10px;border-left:3px solid var(--muted)}.filter{font-size:13px;color:var(--muted)}
.only-diffs tr.same{display:none}
.difflist{list-style:none;padding:0;margin:8px 0 14px}.difflist li{padding:5px 10px;margin:3px 0;border-left:4px solid #d4a72c;background:var(--amber-bg)}
.difflist li.breaking{border-left-color:var(--red);background:var(--red-bg)}.difflist li.breaking b{color:var(--red)}
.difflist a{color:inherit;text-decoration:none}.difflist a:hover code{text-decoration:underline}
tr:target th.obj{outline:2px solid #1a56c4}
)CSS";

const char* const kScript = R"JS(
function copyDef(b){var t=b.parentNode.querySelector('pre').textContent;function ok(){b.textContent='copied';b.classList.add('done');
setTimeout(function(){b.textContent='copy';b.classList.remove('done')},1500)}
if(navigator.clipboard&&navigator.clipboard.writeText){navigator.clipboard.writeText(t).then(ok,function(){fallback(t);ok()})}else{fallback(t);ok()}}
function fallback(t){var a=document.createElement('textarea');a.value=t;document.body.appendChild(a);a.select();try{document.execCommand('copy')}catch(e){}a.remove()}
function onlyDiffs(c){c.closest('section').querySelector('table.sides').classList.toggle('only-diffs',c.checked)}
)JS";

}  // namespace pgw::html
