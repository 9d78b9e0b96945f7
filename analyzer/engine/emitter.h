// The policy layer between rules and reports: severities, suppressions, the
// override / rollback-plan workflow, and the risk every finding implies,
// whether it is reported or not (SPEC §5: turning a rule off, suppressing or
// baselining a finding never lowers a migration's risk).
#pragma once

#include "engine/engine.h"

namespace pgw {

class FileEmitter : public Emitter {
  public:
    FileEmitter(const Migration& m, FileAnnotations& annotations, FileReport& report,
                Severity rollback_plan_severity)
        : m_(m),
          annotations_(annotations),
          report_(report),
          rollback_plan_severity_(rollback_plan_severity) {}

    // The rule about to run: its severity here (off: only its risk counts),
    // the annotations in force, and whether its findings count towards the
    // file's risk (not in down sections and down files).
    void begin(const Rule& rule, const SharedText& help, Severity severity,
               const Annotations* scope, const Annotations* statement_block, bool counts) {
        rule_ = &rule;
        help_ = &help;
        severity_ = severity;
        scope_ = scope;
        block_ = statement_block;
        counts_ = counts;
    }

    void emit(Emit e) override;
    Risk risk() const { return risk_; }

  private:
    const Migration& m_;
    FileAnnotations& annotations_;
    FileReport& report_;
    SharedText path_;  // report_.path, shared by the findings
    Severity rollback_plan_severity_;
    const SharedText* help_ = nullptr;
    const Rule* rule_ = nullptr;
    Severity severity_ = Severity::error;
    const Annotations* scope_ = nullptr;
    const Annotations* block_ = nullptr;
    bool counts_ = true;
    Risk risk_ = Risk::none;
    // The hash of the statement the last finding was in: a statement's
    // findings usually come together, and hashing reads all its text.
    std::size_t hashed_begin_ = static_cast<std::size_t>(-1);
    std::uint64_t hashed_ = 0;

    void place(Finding& f, Span span);
    bool suppressed(const std::string& id);
};

}  // namespace pgw
