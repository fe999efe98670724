package io.meshgw.gateway.datapath;

import io.meshgw.bpf.datapath.MapFill;
import jakarta.enterprise.inject.Vetoed;
import java.util.List;

/**
 * A DatapathService that is off but reports how full its maps are, for tests of the metrics they become. Installed in
 * place of the bean with QuarkusMock. Vetoed: it would inherit the bean's scope and become a second DatapathService.
 */
@Vetoed
public class ReportingDatapath extends DatapathService {
    private final List<MapFill> fill;

    public ReportingDatapath(List<MapFill> fill) {
        super(null, null);
        this.fill = List.copyOf(fill);
    }

    @Override
    public List<MapFill> mapFill() {
        return fill;
    }
}
