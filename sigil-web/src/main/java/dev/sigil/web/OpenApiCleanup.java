package dev.sigil.web;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;

/**
 * Takes out of each service's OpenAPI document what Payara puts there that the service does not
 * do, so that validators and code generators read it as written ({@code mp.openapi.filter}):
 * <ul>
 * <li>the defaults of an annotation's {@code @Schema} that Payara copies as if set: a
 *     {@code multipleOf} of 0 (JSON Schema asks for more than 0), {@code minItems} of
 *     2147483647, {@code maxItems} of -2147483648 and {@code maxProperties} of 0, each of
 *     which says no value can exist;</li>
 * <li>a JSON body beside a form one: an OAuth endpoint that reads its body itself is listed with
 *     {@code application/json} too, which it refuses;</li>
 * <li>header parameters named {@code Authorization}, {@code Content-Type} or {@code Accept},
 *     which OpenAPI 3 says to ignore: the media types and the operations' security
 *     requirements say them.</li>
 * </ul>
 */
public class OpenApiCleanup implements OASFilter {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Set<String> DESCRIBED_ELSEWHERE = Set.of("authorization", "content-type", "accept");

    /** Takes out exactly the values of {@code @Schema}'s defaults, none a document of Sigil's sets. */
    @Override
    public Schema filterSchema(Schema schema) {
        if (schema.getMultipleOf() != null && schema.getMultipleOf().compareTo(BigDecimal.ZERO) == 0) {
            schema.setMultipleOf(null);
        }
        if (schema.getMinItems() != null && schema.getMinItems() == Integer.MAX_VALUE) {
            schema.setMinItems(null);
        }
        if (schema.getMaxItems() != null && schema.getMaxItems() == Integer.MIN_VALUE) {
            schema.setMaxItems(null);
        }
        if (schema.getMaxProperties() != null && schema.getMaxProperties() == 0) {
            schema.setMaxProperties(null);
            if (schema.getMinProperties() != null && schema.getMinProperties() == 0) {
                schema.setMinProperties(null);
            }
        }
        return schema;
    }

    @Override
    public RequestBody filterRequestBody(RequestBody body) {
        Content content = body.getContent();
        if (content != null && content.hasMediaType(FORM)) {
            content.getMediaTypes().keySet().stream()
                    .filter(type -> !type.equals(FORM))
                    .toList()
                    .forEach(content::removeMediaType);
        }
        return body;
    }

    @Override
    public Parameter filterParameter(Parameter parameter) {
        boolean header = parameter.getIn() == Parameter.In.HEADER;
        return header
                        && parameter.getName() != null
                        && DESCRIBED_ELSEWHERE.contains(parameter.getName().toLowerCase(Locale.ROOT))
                ? null
                : parameter;
    }
}
